import BackupEngine
import Foundation
import Testing

@Suite("Recovery targets: parsing times and the settings PostgreSQL is given")
struct RecoveryTargetTests {
    @Test("given a time with a zone, when parsed, then it is kept to the microsecond in UTC", arguments: [
        ("2026-11-21T10:15:00Z", "2026-11-21 10:15:00.000000+00"),
        ("2026-11-21t10:15:00z", "2026-11-21 10:15:00.000000+00"),
        ("2026-11-21T12:15:00.25+02:00", "2026-11-21 10:15:00.250000+00"),
        ("2026-11-21 10:15:00.123456+00", "2026-11-21 10:15:00.123456+00"),
        ("2026-11-21 10:15:00.123456 UTC", "2026-11-21 10:15:00.123456+00"),
        ("2026-11-21 05:45:01.000001-0430", "2026-11-21 10:15:01.000001+00"),
        ("2026-11-21 01:00+03", "2026-11-20 22:00:00.000000+00"),
        ("2024-02-29T23:59:59.999999Z", "2024-02-29 23:59:59.999999+00"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31 23:59:59.500000+00"),
    ])
    func parsesTimes(input: String, expected: String) throws {
        #expect(try TargetTime(parsing: input).postgresText == expected)
    }

    @Test("given a time without a zone or out of range, when parsed, then it is refused saying why", arguments: [
        ("2026-11-21 10:15:00", "no time zone"),
        ("2026-11-21", "time of day"),
        ("2026-13-01T00:00:00Z", "out of range"),
        ("2025-02-29T00:00:00Z", "out of range"),
        ("2026-11-21T10:15:00.1234567Z", "1 to 6 digits"),
        ("2026-11-21T10:15:00 CET", "not a time zone"),
        ("yesterday", "YYYY-MM-DD"),
    ])
    func refusesTimes(input: String, reason: String) {
        #expect {
            _ = try TargetTime(parsing: input)
        } throws: { error in
            (error as? LifeboatError)?.message.contains(reason) == true
        }
    }

    @Test("given a Date and its text, when compared, then both agree to the microsecond")
    func dateRoundTrip() throws {
        let time = try TargetTime(parsing: "2026-11-21T10:15:00.123456Z")
        #expect(TargetTime(time.date) == time)
        #expect(try TargetTime(parsing: "2026-11-21T10:15:00.123457Z") > time)
    }

    @Test("given each kind of target, when turned into settings, then PostgreSQL gets exactly its recovery_target_* lines", arguments: [
        (RecoveryTarget.Point.lsn(LSN("0/3000148")!), true, RecoveryTarget.Timeline.latest,
         ["recovery_target_lsn=0/3000148", "recovery_target_timeline=latest", "recovery_target_action=promote"]),
        (.xid(741), false, .current,
         ["recovery_target_xid=741", "recovery_target_inclusive=false", "recovery_target_timeline=current", "recovery_target_action=promote"]),
        (.name("before-migration"), true, .number(3),
         ["recovery_target_name=before-migration", "recovery_target_timeline=3", "recovery_target_action=promote"]),
        (.immediate, true, .latest, ["recovery_target=immediate", "recovery_target_timeline=latest", "recovery_target_action=promote"]),
        (.latest, true, .latest, ["recovery_target_timeline=latest"]),
    ])
    func settings(point: RecoveryTarget.Point, inclusive: Bool, timeline: RecoveryTarget.Timeline, expected: [String]) throws {
        let target = try RecoveryTarget(point: point, inclusive: inclusive, timeline: timeline)
        #expect(target.settings.map { "\($0.name)=\($0.value)" } == expected)
    }

    @Test("given a time target, when turned into settings, then the time is written in UTC with microseconds")
    func timeSetting() throws {
        let target = try RecoveryTarget(point: .time(try TargetTime(parsing: "2026-11-21T12:15:00.5+02:00")), inclusive: false)
        #expect(target.settings.first.map { "\($0.name)=\($0.value)" } == "recovery_target_time=2026-11-21 10:15:00.500000+00")
        #expect(target.settings.contains { $0.name == "recovery_target_inclusive" && $0.value == "false" })
    }

    @Test("given --exclusive with a single-point target, when the target is made, then it is refused", arguments: [
        RecoveryTarget.Point.name("x"), .immediate, .latest,
    ])
    func exclusiveNeedsARange(point: RecoveryTarget.Point) {
        #expect(throws: LifeboatError.self) { try RecoveryTarget(point: point, inclusive: false) }
    }

    @Test("given timeline text, when parsed, then latest, current and numbers are understood and nonsense is not", arguments: [
        ("latest", RecoveryTarget.Timeline.latest), ("current", .current), ("3", .number(3)), ("0x1A", .number(26)),
    ])
    func timelines(text: String, expected: RecoveryTarget.Timeline) {
        #expect(RecoveryTarget.Timeline(text) == expected)
    }

    @Test("given invalid timeline, xid or LSN text, when parsed, then it is refused", arguments: ["0", "-1", "newest", ""])
    func badTimelines(text: String) {
        #expect(RecoveryTarget.Timeline(text) == nil)
        #expect(throws: LifeboatError.self) { try RecoveryTarget.parseXid(text) }
        #expect(throws: LifeboatError.self) { try RecoveryTarget.parseLSN(text) }
    }

    @Test("given a value with quotes and backslashes, when quoted for postgresql.conf, then both are escaped")
    func quoting() {
        #expect(RecoveryTarget.quote("it's") == "'it''s'")
        #expect(RecoveryTarget.quote("a\\b") == "'a\\\\b'")
    }
}
