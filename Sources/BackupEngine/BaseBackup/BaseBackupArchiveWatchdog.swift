import Foundation

/// Watches the server's side of a running base backup. With `-X none` and archiving on, PostgreSQL ends a base backup
/// only once the WAL up to its stop is archived, and waits for that without a limit: with archiving broken,
/// pg_basebackup would hang forever. The watchdog sees the backup's walsender in the `BackupWaitWalArchive` wait and
/// fails the backup when that wait exceeds `timeout`, saying what the archiver reports.
struct BaseBackupArchiveWatchdog: Sendable {
    /// A connection of its own (not used by anything else while the watchdog runs).
    let connection: PGConnection
    /// The `application_name` pg_basebackup connects with, unique to this backup.
    let applicationName: String
    /// The longest wait for archiving allowed.
    let timeout: TimeInterval
    /// Time between looks.
    let pollInterval: TimeInterval

    /// Returns never; throws `.walTimeout` once the server waited for archiving longer than `timeout`, or
    /// `CancellationError` when cancelled (the backup ended).
    func watch(backupID: String) async throws -> Never {
        var waitingSince: Date?
        while true {
            try await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
            let waiting = try await connection.run(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender' AND application_name = $1 AND wait_event = 'BackupWaitWalArchive'",
                [applicationName]).first?.first.flatMap { $0 } != "0"
            guard waiting else {
                waitingSince = nil
                continue
            }
            let since = waitingSince ?? Date()
            waitingSince = since
            guard Date().timeIntervalSince(since) >= timeout else { continue }
            let archiver = try await connection.run("SELECT coalesce(last_archived_wal, 'none'), coalesce(last_failed_wal, 'none'), failed_count FROM pg_stat_archiver").first ?? []
            let last = archiver.first.flatMap { $0 } ?? "?"
            let failed = archiver.count > 1 ? archiver[1] ?? "?" : "?"
            let failures = archiver.count > 2 ? archiver[2] ?? "?" : "?"
            throw LifeboatError(
                .walTimeout,
                "the server waited more than \(DurationText.format(timeout.rounded(.up))) for the WAL of base backup \(backupID) to be archived (pg_stat_archiver: last archived \(last), last failed \(failed), \(failures) failures)",
                hint: "archiving is failing or too slow: check archive_command = 'lifeboat wal-push %p' and the server log; raise --wal-timeout if it is only slow")
        }
    }
}
