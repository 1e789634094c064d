import LifeboatAPI
import LifeboatController
import Testing

@Suite struct CheckScheduleTests {
    @Test func givenThousandPoliciesWithTheDefaultCheck_whenScheduled_thenTheyRunEvery15MinutesSpreadOverOffsets() throws {
        var offsets = [Int: Int]()
        for index in 0..<1_000 {
            var policy = PolicySamples.minimal(name: "db-\(index)")
            policy.spec?.check = index % 2 == 0 ? nil : CheckSpec(schedule: CheckSpec.defaultSchedule)
            let schedule = CheckCronJobBuilder.schedule(for: policy)
            #expect(schedule == CheckCronJobBuilder.schedule(for: policy))
            let minutes = try CronExpression(schedule).values[0].sorted()
            #expect(minutes.count == 4 && minutes[1] - minutes[0] == 15)
            offsets[minutes[0], default: 0] += 1
        }
        #expect(offsets.count == 15)
        #expect((offsets.values.max() ?? 0) < 120, "about 67 per offset expected: \(offsets)")
    }

    @Test func givenAWrittenCheckSchedule_whenScheduled_thenItIsKept() {
        var policy = PolicySamples.minimal()
        policy.spec?.check = CheckSpec(schedule: "*/5 * * * *")
        #expect(CheckCronJobBuilder.schedule(for: policy) == "*/5 * * * *")
    }
}
