import Foundation
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct CronNextRunTests {
    static func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    static func text(_ date: Date?) -> String? {
        date.map { ISO8601DateFormatter().string(from: $0) }
    }

    @Test(arguments: [
        ("30 2 * * *", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T02:30:00Z"),
        ("30 2 * * *", "UTC", "2026-11-21T02:29:59Z", "2026-11-21T02:30:00Z"),
        ("30 2 * * *", "UTC", "2026-11-21T02:30:00Z", "2026-11-22T02:30:00Z"),
        ("*/15 * * * *", "UTC", "2026-11-21T10:07:00Z", "2026-11-21T10:15:00Z"),
        ("0 3 * * sun", "UTC", "2026-11-21T10:00:00Z", "2026-11-22T03:00:00Z"),
        ("@monthly", "UTC", "2026-11-21T10:00:00Z", "2026-12-01T00:00:00Z"),
        ("@yearly", "UTC", "2026-11-21T10:00:00Z", "2027-01-01T00:00:00Z"),
        ("0 2 * * *", "Europe/Berlin", "2026-11-21T10:00:00Z", "2026-11-22T01:00:00Z"),
        ("0 2 * * *", "America/New_York", "2026-11-21T10:00:00Z", "2026-11-22T07:00:00Z"),
        // dom and dow both restricted: either matches (1st of the month or a Monday).
        ("0 0 1 * mon", "UTC", "2026-11-24T00:00:00Z", "2026-11-30T00:00:00Z"),
        // dom starred with a step: both must match (odd days that are Mondays).
        ("0 0 */2 * mon", "UTC", "2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
        ("0 0 */2 * mon", "UTC", "2026-11-23T00:00:00Z", "2026-12-07T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2026-11-21T00:00:00Z", "2028-02-29T00:00:00Z"),
        // 2:30 does not exist in Berlin on 2027-03-28 (clocks jump from 2:00 to 3:00): the next run is a day later.
        ("30 2 * * *", "Europe/Berlin", "2027-03-27T12:00:00Z", "2027-03-29T00:30:00Z"),
    ])
    func givenSchedule_whenNextRunComputed_thenItIsTheFirstMatchingMinute(schedule: String, zone: String, after: String, expected: String) throws {
        let cron = try CronExpression(schedule)
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(Self.text(cron.nextRun(after: Self.date(after), in: timeZone)) == expected)
    }

    @Test func givenImpossibleDate_whenNextRunComputed_thenThereIsNone() throws {
        #expect(try CronExpression("0 0 30 2 *").nextRun(after: Self.date("2026-11-21T00:00:00Z"), in: TimeZone(identifier: "UTC")!) == nil)
    }
}

@Suite struct NextScheduledRunsTests {
    @Test func givenPolicyWithSeededAndSuspendedSchedules_whenNextRunsComputed_thenOnlyActiveKindsGetTheirCronJobTime() throws {
        var policy = PolicySamples.fullyPopulatedValid()
        let now = CronNextRunTests.date("2026-11-21T10:00:00Z")
        var runs = NextScheduledRuns.compute(for: policy, after: now)
        #expect(runs.base == nil, "base is suspended")
        // The seeded daily schedule for prod/orders/logical is 19:00 Berlin time, i.e. 18:00 UTC in November.
        #expect(SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "logical") == "0 19 * * *")
        #expect(runs.logical == "2026-11-21T18:00:00Z")
        policy.spec?.schedules.base?.suspend = false
        runs = NextScheduledRuns.compute(for: policy, after: now)
        #expect(runs.base == "2026-11-22T03:00:00Z")
    }
}
