import BackupEngine
import Foundation
import Testing

@Suite("WAL shipping verdicts: pg_stat_archiver and the replication slot")
struct WALShippingStatusTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func archiver(mode: String = "on", archivedAgo: Double? = 30, failedAgo: Double? = nil, failures: Int64 = 0) -> WALShippingStatus {
        WALShippingStatus(currentLSN: LSN("0/5000100"), serverTime: now, archiver: .init(
            archiveMode: mode, archivedCount: archivedAgo == nil ? 0 : 4, lastArchivedWAL: archivedAgo == nil ? nil : "000000010000000000000004",
            lastArchivedTime: archivedAgo.map { now.addingTimeInterval(-$0) }, failedCount: failures,
            lastFailedWAL: failedAgo == nil ? nil : "000000010000000000000005", lastFailedTime: failedAgo.map { now.addingTimeInterval(-$0) }), slot: nil)
    }

    @Test("given the archiver's statistics, when judged, then failures newer than the last success, archive_mode off and WAL archived elsewhere are unhealthy", arguments: [
        (archiver(), true as Bool?, true, "server archived 000000010000000000000004"),
        (archiver(failedAgo: 10, failures: 3), true, false, "archive_command is failing: 3 failures"),
        (archiver(failedAgo: 90, failures: 2), true, true, "has succeeded since"),
        (archiver(mode: "off", archivedAgo: nil), nil, false, "archive_mode is off"),
        (archiver(), false, false, "sends WAL somewhere else"),
        (archiver(archivedAgo: nil), nil, true, "has not archived any WAL yet"),
    ])
    func archiverVerdicts(status: WALShippingStatus, inRepository: Bool?, healthy: Bool, finding: String) {
        let verdict = status.archiverVerdict(archivedInRepository: inRepository)
        #expect(verdict.healthy == healthy, "\(verdict.findings)")
        #expect(verdict.findings.contains { $0.contains(finding) }, "\(verdict.findings)")
    }

    @Test("given a replication slot, when judged, then a missing, inactive or lost slot is unhealthy", arguments: [
        (WALShippingStatus.Slot?.none, false, "does not exist"),
        (.some(.init(name: "s", active: true, walStatus: "reserved", restartLSN: LSN("0/5000000"), lagBytes: 256)), true, "lags 256"),
        (.some(.init(name: "s", active: false, walStatus: "reserved", restartLSN: nil, lagBytes: nil)), false, "no receiver connected"),
        (.some(.init(name: "s", active: true, walStatus: "lost", restartLSN: nil, lagBytes: nil)), false, "wal_status lost"),
    ])
    func slotVerdicts(slot: WALShippingStatus.Slot?, healthy: Bool, finding: String) {
        let status = WALShippingStatus(currentLSN: LSN("0/5000100"), serverTime: Self.now, archiver: nil, slot: slot)
        let verdict = status.slotVerdict(slotName: "s")
        #expect(verdict.healthy == healthy, "\(verdict.findings)")
        #expect(verdict.findings.contains { $0.contains(finding) }, "\(verdict.findings)")
    }
}
