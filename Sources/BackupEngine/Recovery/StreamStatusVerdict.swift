import Foundation

/// Judges what `lifeboat wal-stream` last wrote about its slot (`StreamStatus`), for `lifeboat check --wal-mode stream`.
///
/// Not healthy when: no status was ever written for the slot; the streamer stopped; it has not reported for longer
/// than `staleAfter` (at least five minutes, and ten partial intervals); the slot is lost, missing or about to lose
/// WAL; or a gap was recorded after the newest base backup (recovery cannot cross it until a base backup is taken
/// after it). Older gaps are reported but covered by that base backup.
public enum StreamStatusVerdict {
    /// The verdict and what it found.
    public static func evaluate(_ status: StreamStatus?, slot: String, now: Date = Date(), newestBaseBackupAt: Date?) -> (healthy: Bool, findings: [String]) {
        guard let status else {
            return (false, ["no stream status for slot \(slot) in the repository: `lifeboat wal-stream --slot \(slot)` has not run against it"])
        }
        var healthy = true
        var findings: [String] = []
        let age = max(0, now.timeIntervalSince(status.updatedAt))
        let staleAfter = max(300, status.partialIntervalSeconds * 10)
        if !status.running {
            healthy = false
            findings.append("wal-stream for slot \(slot) stopped \(ByteFormat.duration(age)) ago")
        } else if age > staleAfter {
            healthy = false
            findings.append("wal-stream for slot \(slot) has not reported for \(ByteFormat.duration(age)) (expected every \(ByteFormat.duration(status.partialIntervalSeconds))): it may be stuck or gone")
        }
        if let shipped = status.lastShippedWAL {
            let when = status.lastShippedAt.map { " \(ByteFormat.duration(max(0, now.timeIntervalSince($0)))) ago" } ?? ""
            findings.append("wal-stream shipped \(shipped)\(when) (up to \(status.lastShippedLSN?.description ?? "?"); RPO about \(ByteFormat.duration(status.partialIntervalSeconds)))")
        } else {
            findings.append("wal-stream has not shipped any WAL yet")
        }
        if let walStatus = status.walStatus, !["reserved", "extended"].contains(walStatus) {
            healthy = false
            findings.append("replication slot \(slot) has wal_status \(walStatus): WAL the streamer needs is gone or about to go")
        }
        if let lag = status.slotLagBytes { findings.append("replication slot \(slot) keeps \(ByteFormat.string(lag)) of WAL on the server") }
        for gap in status.gaps {
            if let base = newestBaseBackupAt, gap.detectedAt < base {
                findings.append("WAL gap (\(gap.reason.rawValue)) at \(gap.from?.description ?? "?") is covered by a later base backup")
            } else {
                healthy = false
                findings.append("WAL gap (\(gap.reason.rawValue)) from \(gap.from?.description ?? "?") to \(gap.to?.description ?? "?"): \(gap.message); take a base backup to recover past it")
            }
        }
        return (healthy, findings)
    }
}
