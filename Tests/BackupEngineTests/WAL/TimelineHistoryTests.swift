import BackupEngine
import Testing

@Suite("Timeline history files as PostgreSQL 15 writes them")
struct TimelineHistoryTests {
    /// What PostgreSQL 15's writeTimeLineHistory wrote for timeline 3 after two promotions, the second at a recovery
    /// target (tab separated; PostgreSQL itself never writes comments, but readTimeLineHistory skips them).
    static let three = "1\t0/3000158\tno recovery target specified\n\n2\t0/5A00D8E8\tbefore 2026-11-21 10:00:00.123456+00\n"

    @Test("given the history file of timeline 3, when parsed, then both ancestors, switchpoints and reasons are read")
    func parsesRealFormat() throws {
        let history = try TimelineHistory(timeline: 3, text: "# comment\n" + Self.three)
        #expect(history.entries.map(\.timeline) == [1, 2])
        #expect(history.entries.map(\.switchpoint.description) == ["0/3000158", "0/5A00D8E8"])
        #expect(history.entries.map(\.reason) == ["no recovery target specified", "before 2026-11-21 10:00:00.123456+00"])
        #expect(history.lineage == [1, 2, 3])
    }

    @Test("given a history, when the timeline holding an LSN is asked, then it is the ancestor whose switchpoint lies beyond it", arguments: [
        ("0/0", UInt32(1)), ("0/3000157", 1), ("0/3000158", 2), ("0/5A00D8E7", 2), ("0/5A00D8E8", 3), ("7/0", 3),
    ])
    func timelineContaining(lsn: String, expected: UInt32) throws {
        let history = try TimelineHistory(timeline: 3, text: Self.three)
        #expect(history.timeline(containing: try #require(LSN(lsn))) == expected)
    }

    @Test("given a malformed line, when parsed, then the error names the line and the timeline", arguments: [
        "1\n", "x\t0/1\treason\n", "1\tnot-an-lsn\treason\n",
    ])
    func refusesMalformed(text: String) {
        #expect {
            try TimelineHistory(timeline: 2, text: text)
        } throws: { error in
            let message = (error as? LifeboatError)?.message ?? ""
            return message.contains("line 1") && message.contains("timeline 2")
        }
    }
}
