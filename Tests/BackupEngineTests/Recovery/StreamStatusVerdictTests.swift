import BackupEngine
import Foundation
import Testing

@Suite("Stream status verdict: what lifeboat check says about wal-stream")
struct StreamStatusVerdictTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15)

    static func status(running: Bool = true, updatedSecondsAgo: Double = 5, walStatus: String? = "reserved", gapSecondsAgo: Double? = nil) -> StreamStatus {
        var status = StreamStatus(slot: "lifeboat", identity: identity, partialIntervalSeconds: 10, updatedAt: now.addingTimeInterval(-updatedSecondsAgo))
        status.running = running
        status.walStatus = walStatus
        status.lastShippedWAL = "000000010000000000000007.partial"
        status.lastShippedAt = now.addingTimeInterval(-updatedSecondsAgo)
        status.lastShippedLSN = LSN("0/7001000")
        if let gapSecondsAgo {
            status.record(StreamGap(reason: .slotCreated, detectedAt: now.addingTimeInterval(-gapSecondsAgo), from: LSN("0/5000000"), to: LSN("0/6000000"), message: "the slot was created anew"))
        }
        return status
    }

    @Test("given a stream status, when judged against the newest base backup (an hour ago), then only a fresh, running, reserved stream without a later gap is healthy", arguments: [
        (status(), true, "wal-stream shipped 000000010000000000000007.partial"),
        (status(running: false), false, "stopped"),
        (status(updatedSecondsAgo: 3600), false, "has not reported for"),
        (status(walStatus: "lost"), false, "wal_status lost"),
        (status(gapSecondsAgo: 60), false, "take a base backup to recover past it"),
        (status(gapSecondsAgo: 7200), true, "covered by a later base backup"),
    ])
    func verdicts(status: StreamStatus, healthy: Bool, finding: String) {
        let verdict = StreamStatusVerdict.evaluate(status, slot: "lifeboat", now: Self.now, newestBaseBackupAt: Self.now.addingTimeInterval(-3600))
        #expect(verdict.healthy == healthy)
        #expect(verdict.findings.contains { $0.contains(finding) }, "\(verdict.findings)")
    }

    @Test("given no status object, when judged, then the stream is not healthy and the check says wal-stream never ran")
    func missing() {
        let verdict = StreamStatusVerdict.evaluate(nil, slot: "lifeboat", now: Self.now, newestBaseBackupAt: nil)
        #expect(!verdict.healthy)
        #expect(verdict.findings.first?.contains("has not run") == true)
    }
}
