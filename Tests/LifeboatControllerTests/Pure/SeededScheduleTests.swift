import LifeboatController
import Testing

@Suite struct SeededScheduleTests {
    @Test func givenFNV1aReferenceVectors_whenHashed_thenTheStandardValuesComeOut() {
        // Reference values of 64-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/).
        #expect(SeededSchedule.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(SeededSchedule.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(SeededSchedule.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test func givenSamePolicy_whenResolvedTwice_thenTheScheduleIsIdentical() {
        let first = SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "logical")
        let second = SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "logical")
        #expect(first == second)
        #expect(first != SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "base"))
        #expect(first != SeededSchedule.resolve("@daily-random", namespace: "staging", name: "orders", salt: "logical"))
    }

    @Test func givenKnownPolicies_whenResolved_thenTheTimesArePinned() {
        // Pinned so a change to the hashing (which would move every policy's backup time) is a deliberate decision.
        // Expected values computed independently (Python) from FNV-1a 64 followed by MurmurHash3's fmix64.
        #expect(SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "logical") == "0 19 * * *")
        #expect(SeededSchedule.resolve("@weekly-random", namespace: "prod", name: "orders") == "58 0 * * 4")
        #expect(SeededSchedule.resolve("@hourly-random", namespace: "demo", name: "app") == "9 * * * *")
    }

    @Test(arguments: ["@hourly-random", "@daily-random", "@weekly-random"])
    func givenSeededMacro_whenResolved_thenItIsAValidCronWithFixedFields(macro: String) throws {
        for index in 0..<200 {
            let resolved = SeededSchedule.resolve(macro, namespace: "ns", name: "policy-\(index)")
            let cron = try CronExpression(resolved)
            #expect(cron.values[0].count == 1)
            #expect(cron.values[1].count == (macro == "@hourly-random" ? 24 : 1))
            #expect(cron.values[4].count == (macro == "@weekly-random" ? 1 : 7))
        }
    }

    @Test func givenThousandPolicies_whenDailyRandomResolved_thenStartTimesSpreadOverTheDay() throws {
        var hours = [Int: Int]()
        var slots = Set<String>()
        for index in 0..<1_000 {
            let resolved = SeededSchedule.resolve("@daily-random", namespace: "team-\(index % 7)", name: "db-\(index)")
            slots.insert(resolved)
            let cron = try CronExpression(resolved)
            hours[try #require(cron.values[1].first), default: 0] += 1
        }
        #expect(hours.count == 24, "every hour gets some policies: \(hours)")
        #expect((hours.values.max() ?? 0) < 100, "no hour gets more than 10% (expected ~42): \(hours)")
        #expect(slots.count > 600, "1,000 policies over 1,440 minutes should mostly differ: \(slots.count)")
    }

    @Test func givenPlainSchedule_whenResolved_thenItIsUnchanged() {
        #expect(SeededSchedule.resolve("30 2 * * *", namespace: "a", name: "b") == "30 2 * * *")
        #expect(SeededSchedule.resolve("@daily", namespace: "a", name: "b") == "@daily")
    }
}
