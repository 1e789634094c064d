import Foundation

extension WALPusher {
    /// The foreground half of `wal-push --async`: answers PostgreSQL's `archive_command` call for `file` from the
    /// background pusher's work. Returns once the file's acknowledgement is in the spool (checked against the file as
    /// it is now); throws the background pusher's recorded failure; starts the background pusher (`startBackground`)
    /// when none runs. When no acknowledgement comes within `wait`, or the background pusher cannot be kept running,
    /// pushes the file itself — create-only, so a background push of the same file still under way does no harm.
    public func pushInBackground(file: String, parallel: Int, wait: Duration = .seconds(60),
                                 startBackground: () throws -> Void) async throws -> WALPushReport {
        let identity = try ClusterIdentity.read(dataDirectory: dataDirectory)
        let name = try Self.walFileName(file, identity: identity)
        let started = ContinuousClock.now
        let deadline = started.advanced(by: wait)
        var starts = 0
        var nextLivenessCheck = started
        while ContinuousClock.now < deadline {
            if let acknowledgement = spool.acknowledgement(of: name) {
                spool.remove(name)
                if let report = acknowledged(name, file: file, by: acknowledgement, identity: identity, started: started) { return report }
                // An acknowledgement that does not vouch for the file as it is now: decide by content, synchronously.
                break
            }
            if let reason = spool.takeFailure(of: name) {
                throw LifeboatError(.repository, "the background push of \(name) failed: \(reason)",
                                    hint: "PostgreSQL keeps the file and calls archive_command again; the background pusher's log is \(spool.logPath)")
            }
            if ContinuousClock.now >= nextLivenessCheck, !ExclusiveFileLock.isHeld(spool.lockPath) {
                // None runs (first call, or it exited idle or died): start one, then give it time to take the lock.
                guard starts < 3 else { break }
                starts += 1
                do {
                    try FileManager.default.createDirectory(atPath: spool.directory, withIntermediateDirectories: true)
                    try startBackground()
                } catch {
                    logger.warning("cannot start the background pusher: \(error)")
                    break
                }
                nextLivenessCheck = ContinuousClock.now.advanced(by: .seconds(1))
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        logger.info("no acknowledgement of \(name) from the background pusher after \(ContinuousClock.now - started); pushing it here")
        return try await push(file: file, parallel: 1)
    }
}
