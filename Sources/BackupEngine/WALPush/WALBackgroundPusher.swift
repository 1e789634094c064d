import Foundation
import Logging

/// The background half of `wal-push --async`, modelled on pgBackRest's asynchronous archive-push: one long-lived
/// process per data directory that stores every file PostgreSQL lists as `.ready`, `parallel` at a time, and writes an
/// acknowledgement into the spool once each is durable (or a failure record saying why not). PostgreSQL's own
/// `archive_command` calls then only look for the acknowledgement, so a backlog drains at the repository's pace instead
/// of one process start and one round trip per segment.
///
/// It tells PostgreSQL nothing itself and never touches `.ready` files; every guarantee of the synchronous push holds
/// (create-only, same content again is fine, durable before acknowledged). At most one runs per spool (a `flock` held
/// for its lifetime and released by the kernel if it is killed). It exits after `idleExit` with nothing to push; the
/// next `archive_command` call starts it again.
public struct WALBackgroundPusher: Sendable {
    /// Does the pushing and acknowledging.
    public let pusher: WALPusher
    /// Files pushed at once.
    public let parallel: Int
    /// How long to wait for new `.ready` files before exiting.
    public let idleExit: Duration
    /// How often to look for new `.ready` files while idle.
    public let pollInterval: Duration

    /// Creates the background pusher.
    public init(pusher: WALPusher, parallel: Int, idleExit: Duration = .seconds(5), pollInterval: Duration = .milliseconds(50)) {
        self.pusher = pusher
        self.parallel = max(1, parallel)
        self.idleExit = idleExit
        self.pollInterval = pollInterval
    }

    /// Pushes until there has been nothing to push for `idleExit`. Returns at once when another background pusher
    /// holds the spool. Answers how many files it stored.
    @discardableResult
    public func run() async throws -> Int {
        let spool = pusher.spool
        try FileManager.default.createDirectory(atPath: spool.directory, withIntermediateDirectories: true)
        guard let lock = try ExclusiveFileLock.tryAcquire(spool.lockPath) else {
            pusher.logger.debug("another background pusher holds \(spool.lockPath)")
            return 0
        }
        let identity: ClusterIdentity
        do {
            identity = try ClusterIdentity.read(dataDirectory: pusher.dataDirectory)
            try await ClusterClaim.ensure(identity, in: pusher.repository)
        } catch {
            // Nothing can be pushed: every waiting archive_command call must hear why, not wait for its time limit.
            for name in spool.readyFiles(segmentSize: WALFileName.defaultSegmentSize) where !spool.hasFailure(name) {
                try? spool.recordFailure(of: name, reason: Self.describe(error))
            }
            throw error
        }
        let archive = WALArchive(repository: pusher.repository, identity: identity)
        // Files this process has acknowledged: PostgreSQL may take an acknowledgement and mark its file done between our
        // listing and our look at the spool; such a file must not be pushed again (it may be recycled by then).
        var handled = Set<WALFileName>()
        var inFlight = Set<WALFileName>()
        var stored = 0
        var idleSince = ContinuousClock.now
        return try await withThrowingTaskGroup(of: (WALFileName, Bool).self) { group in
            while true {
                guard lock.isStillAtPath else {
                    pusher.logger.warning("\(spool.lockPath) was removed or replaced; stopping (the next archive_command call starts a new background pusher)")
                    group.cancelAll()
                    return stored
                }
                let ready = spool.readyFiles(segmentSize: identity.walSegmentSize)
                if inFlight.isEmpty { spool.sweep(ready: Set(ready.map(\.description))) }
                handled.formIntersection(ready)
                let waiting = ready.filter {
                    !inFlight.contains($0) && !handled.contains($0) && !spool.hasAcknowledgement($0) && !spool.hasFailure($0)
                }
                for name in waiting.prefix(parallel - inFlight.count) {
                    inFlight.insert(name)
                    group.addTask { (name, await self.push(name, identity: identity, archive: archive)) }
                }
                if inFlight.isEmpty {
                    if ContinuousClock.now - idleSince >= idleExit { return stored }
                    try await Task.sleep(for: pollInterval)
                    continue
                }
                guard let (name, succeeded) = try await group.next() else { continue }
                inFlight.remove(name)
                handled.insert(name)
                if succeeded { stored += 1 }
                idleSince = ContinuousClock.now
            }
        }
    }

    /// Pushes and acknowledges one ready file; a failure is recorded for the `archive_command` call that waits for it.
    private func push(_ name: WALFileName, identity: ClusterIdentity, archive: WALArchive) async -> Bool {
        do {
            _ = try await pusher.storeAndAcknowledge(name, identity: identity, archive: archive)
            return true
        } catch {
            let reason = Self.describe(error)
            pusher.logger.warning("background push of \(name) failed: \(reason)", metadata: ["wal.file": "\(name)"])
            do {
                try pusher.spool.recordFailure(of: name, reason: reason)
            } catch {
                pusher.logger.error("cannot record the failure of \(name) in \(pusher.spool.directory): \(error)")
            }
            return false
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? LifeboatError).map { $0.message + ($0.hint.map { " (hint: \($0))" } ?? "") } ?? "\(error)"
    }
}
