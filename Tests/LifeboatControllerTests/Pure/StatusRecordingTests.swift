import LifeboatAPI
import Testing

@Suite struct StatusRecordingTests {
    static func run(_ minute: Int, _ outcome: RunOutcome, kind: BackupKind = .logical) -> RecentRun {
        let time = "2026-11-21T02:\(minute < 10 ? "0" : "")\(minute):00Z"
        return RecentRun(kind: kind, outcome: outcome, record: RunRecord(time: time, backupId: "b\(minute)", jobName: "orders-logical-\(minute)"))
    }

    @Test func givenFifteenRuns_whenRecorded_thenTheNewestTenAreKeptNewestFirst() {
        var status = BackupPolicyStatus()
        for minute in 0..<15 { status.record(Self.run(minute, minute % 4 == 0 ? .failed : .succeeded)) }
        let runs = status.recentRuns ?? []
        #expect(runs.count == BackupPolicyStatus.recentRunsLimit)
        #expect(runs.first?.record.backupId == "b14")
        #expect(runs.last?.record.backupId == "b5")
        #expect(status.lastSuccessful?.logical?.backupId == "b14")
        #expect(status.lastFailed?.logical?.backupId == "b12")
        #expect(status.lastSuccessful?.base == nil)
    }

    @Test func givenTheSameRunTwice_whenRecorded_thenItAppearsOnce() {
        var status = BackupPolicyStatus()
        status.record(Self.run(5, .succeeded))
        let once = status
        status.record(Self.run(5, .succeeded))
        #expect(status == once)
    }

    @Test func givenAnOlderRunReadLate_whenRecorded_thenTheNewerLastSuccessStays() {
        var status = BackupPolicyStatus()
        status.record(Self.run(30, .succeeded))
        status.record(Self.run(10, .succeeded))
        #expect(status.lastSuccessful?.logical?.backupId == "b30")
        #expect(status.recentRuns?.map(\.record.backupId) == ["b30", "b10"])
    }

    @Test func givenAFailedWorkerResult_whenConverted_thenTheMessageCarriesErrorAndCodeAndPruneIsSeparate() {
        let result = WorkerResult(
            command: "backup", ok: false, kind: .base, durationSeconds: 3,
            prune: .init(ok: false, error: "access denied"), error: .init(code: "connection_failed", message: "could not connect to db-rw:5432")
        )
        let record = RunRecord(result: result, jobName: "orders-base-1", fallbackTime: "2026-11-21T03:00:05Z")
        #expect(record.time == "2026-11-21T03:00:05Z")
        #expect(record.message == "could not connect to db-rw:5432 (connection_failed)")
        #expect(record.prune == PruneRecord(ok: false, error: "access denied"))
        let success = RunRecord(result: WorkerResult(command: "backup", ok: true, kind: .logical, databases: ["a", "b"], finishedAt: "2026-11-21T02:31:02Z"), jobName: nil, fallbackTime: "x")
        #expect(success.time == "2026-11-21T02:31:02Z")
        #expect(success.message == "logical backup of 2 databases succeeded")
    }
}
