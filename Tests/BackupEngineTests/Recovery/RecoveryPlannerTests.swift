import BackupEngine
import Foundation
import Testing

@Suite("Recovery planner: which base backup, and which targets are refused before anything is touched")
struct RecoveryPlannerTests {
    typealias F = RecoveryFixtures

    /// Two backups (finished at +10 s and +50 s), WAL segments 2…9 on timeline 1, commits in several segments, a
    /// restore point in segment 6, the last commit in segment 9 at +95 s.
    static func archive(missing: [UInt64] = []) throws -> (ArchiveSnapshot, RecordTable) {
        let snapshot = try F.snapshot([1: 2...9], missing: [1: missing], backups: [
            F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10),
            F.backup("b2", start: "0/5000028", stop: "0/5000100", finishedAfter: 50),
        ])
        func seg(_ n: UInt64) -> WALFileName { WALFileName(timeline: 1, segmentNumber: n) }
        let records = RecordTable(bySegment: [
            seg(3): [RecordTable.commit("0/3000200", xid: 740, at: 20)],
            seg(4): [RecordTable.commit("0/4000200", xid: 741, at: 30)],
            seg(5): [RecordTable.commit("0/5000200", xid: 742, at: 60)],
            seg(6): [WALRecordSummary(lsn: LSN("0/6000100")!, xid: 0, kind: .restorePoint("before-drop")), RecordTable.commit("0/6000200", xid: 743, at: 70)],
            seg(8): [RecordTable.commit("0/8000200", xid: 744, at: 80)],
            seg(9): [RecordTable.commit("0/9000200", xid: 745, at: 95), WALRecordSummary(lsn: LSN("0/9000300")!, xid: 0, kind: .other)],
        ])
        return (snapshot, records)
    }

    @Test("given a reachable target, when planned, then the newest backup that ends before it is chosen", arguments: [
        (RecoveryTarget.Point.lsn(LSN("0/4000000")!), "b1", LSN("0/4000000")),
        (.lsn(LSN("0/9000300")!), "b2", LSN("0/9000300")),
        (.time(RecoveryFixtures.time(30)), "b1", nil),
        (.time(RecoveryFixtures.time(55)), "b2", nil),
        (.time(RecoveryFixtures.time(94.5)), "b2", nil),
        (.xid(741), "b1", LSN("0/4000200")),
        (.xid(745), "b2", LSN("0/9000200")),
        (.name("before-drop"), "b2", LSN("0/6000100")),
        (.immediate, "b2", LSN("0/5000100")),
        (.latest, "b2", LSN("0/9000300")),
    ] as [(RecoveryTarget.Point, String, LSN?)])
    func choosesBackup(point: RecoveryTarget.Point, backup: String, stop: LSN?) async throws {
        let (snapshot, records) = try Self.archive()
        let plan = try await RecoveryPlanner(snapshot: snapshot, records: records).plan(try RecoveryTarget(point: point))
        #expect(plan.backup.id == backup)
        #expect(plan.expectedStop == stop)
        #expect(plan.firstSegment.description == (backup == "b1" ? "000000010000000000000002" : "000000010000000000000005"))
    }

    @Test("given an unreachable target, when planned, then it is refused with the reason and the window", arguments: [
        (RecoveryTarget.Point.lsn(LSN("0/3000000")!), [UInt64](), "before the first recoverable point 0/3000100"),
        (.time(RecoveryFixtures.time(5)), [], "before the first recoverable point"),
        (.time(RecoveryFixtures.time(95)), [], "past the end of the archive (last commit in the archive at"),
        (.lsn(LSN("0/9000301")!), [], "past the end of the archive (the last archived record is at 0/9000300)"),
        (.lsn(LSN("0/C000000")!), [], "past the end of the archive (the last archived segment is 000000010000000000000009)"),
        (.xid(999), [], "transaction 999 has no commit or abort in the archived WAL from 000000010000000000000002 to 000000010000000000000009"),
        (.name("nope"), [], "restore point \"nope\" is not in the archived WAL"),
        (.lsn(LSN("0/4800000")!), [4], "beyond missing WAL segment 000000010000000000000004"),
        (.time(RecoveryFixtures.time(90)), [7], "beyond missing WAL segment 000000010000000000000007"),
        (.latest, [7], "would stop at missing segment 000000010000000000000007"),
    ] as [(RecoveryTarget.Point, [UInt64], String)])
    func refuses(point: RecoveryTarget.Point, missing: [UInt64], reason: String) async throws {
        let (snapshot, records) = try Self.archive(missing: missing)
        let planner = RecoveryPlanner(snapshot: snapshot, records: records)
        await #expect {
            _ = try await planner.plan(try RecoveryTarget(point: point))
        } throws: { error in
            guard let error = error as? LifeboatError else { return false }
            return error.message.contains(reason) && error.message.contains("The archive allows: recoverable on timeline 1 from 0/3000100")
        }
    }

    @Test("given a time equal to a commit's, when planned inclusive and exclusive, then the last commit decides whether the target is reachable")
    func inclusiveAndExclusiveAtTheEnd() async throws {
        let (snapshot, records) = try Self.archive()
        let planner = RecoveryPlanner(snapshot: snapshot, records: records)
        // The last commit is at +95 s: inclusive needs a later commit, exclusive stops just before this one.
        await #expect(throws: LifeboatError.self) { try await planner.plan(try RecoveryTarget(point: .time(F.time(95)), inclusive: true)) }
        #expect(try await planner.plan(try RecoveryTarget(point: .time(F.time(95)), inclusive: false)).backup.id == "b2")
    }

    @Test("given --backup, when planned, then that backup is used, and one after the target or unknown is refused")
    func chosenBackup() async throws {
        let (snapshot, records) = try Self.archive()
        let planner = RecoveryPlanner(snapshot: snapshot, records: records)
        #expect(try await planner.plan(try RecoveryTarget(point: .latest), backupId: "b1").backup.id == "b1")
        await #expect(throws: LifeboatError.self) { try await planner.plan(try RecoveryTarget(point: .lsn(LSN("0/4000000")!)), backupId: "b2") }
        await #expect(throws: LifeboatError.self) { try await planner.plan(try RecoveryTarget(point: .latest), backupId: "nope") }
    }

    @Test("given a gap between the two backups, when recovering past it, then the backup after the gap is used")
    func gapBeforeNewerBackup() async throws {
        let (snapshot, records) = try Self.archive(missing: [4])
        let plan = try await RecoveryPlanner(snapshot: snapshot, records: records).plan(try RecoveryTarget(point: .time(F.time(75))))
        #expect(plan.backup.id == "b2")
    }

    @Test("given a promoted timeline 2, when recovering to it, then history is followed from the backup on timeline 1")
    func acrossTimelines() async throws {
        let snapshot = try F.snapshot([1: 2...6, 2: 6...8], histories: [2: "1\t0/6000150\tafter drop\n"], backups: [
            F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10),
        ])
        let records = RecordTable(bySegment: [WALFileName(timeline: 2, segmentNumber: 8): [RecordTable.commit("0/8000100", xid: 900, at: 200)]])
        let plan = try await RecoveryPlanner(snapshot: snapshot, records: records).plan(try RecoveryTarget(point: .xid(900)))
        #expect(plan.timeline == 2)
        #expect(plan.backup.id == "b1")
        #expect(plan.expectedStop == LSN("0/8000100"))
        let current = try await RecoveryPlanner(snapshot: snapshot, records: records).plan(try RecoveryTarget(point: .immediate, timeline: .current))
        #expect(current.timeline == 1)
        #expect(current.target.timeline == .number(1))
    }

    @Test("given a streamed archive whose newest WAL is a .partial, when planning an xid or latest, then the partial is searched and ends the archive")
    func partialAtTheEnd() async throws {
        var (snapshot, records) = try Self.archive()
        snapshot.partials = [1: [10]]
        records.bySegment[WALFileName(timeline: 1, segmentNumber: 10)] = [RecordTable.commit("0/A000100", xid: 746, at: 120)]
        let planner = RecoveryPlanner(snapshot: snapshot, records: records)
        let xid = try await planner.plan(try RecoveryTarget(point: .xid(746)))
        #expect(xid.backup.id == "b2")
        #expect(xid.expectedStop == LSN("0/A000100"))
        let latest = try await planner.plan(try RecoveryTarget(point: .latest))
        #expect(latest.window.last?.segment.description == "00000001000000000000000A.partial")
        #expect(try await planner.plan(try RecoveryTarget(point: .time(F.time(110)))).backup.id == "b2")
    }

    @Test("given a search longer than the limit, when planning an xid, then the earliest backup is used and the note says it was not checked")
    func searchLimit() async throws {
        let (snapshot, records) = try Self.archive()
        var planner = RecoveryPlanner(snapshot: snapshot, records: records)
        planner.maxScanSegments = 3
        let plan = try await planner.plan(try RecoveryTarget(point: .xid(999)))
        #expect(plan.backup.id == "b1")
        #expect(plan.notes.first?.contains("cannot be checked ahead") == true)
    }
}
