import Foundation
import Logging

/// The background half of `wal-fetch --prefetch N --async`, modelled on pgBackRest's asynchronous archive-get: one
/// process per queue that keeps the `prefetch` segments after the one PostgreSQL last asked for fetched, verified and
/// waiting in the ``WALFetchQueue``, while recovery replays. `restore_command` calls then only move a queued file into
/// place, so recovery never waits for the repository while a segment's worth of WAL is being replayed.
///
/// What PostgreSQL asked for last is read from the queue's `requested` file, which every `wal-fetch` call writes. The
/// fetcher stops reading ahead at a segment the repository does not have (the archive's end, for now; it looks again
/// every second, as a standby's archive keeps growing), and exits when no new request came for `idleExit` (emptying the
/// queue but keeping its log) or when the data directory is no longer in recovery (no `recovery.signal` or
/// `standby.signal`; removing the queue folder).
///
/// It answers PostgreSQL nothing itself: a queued file is only ever served by a `wal-fetch` call that checks it
/// against its recorded SHA-256, repository and cluster; a failed prefetch only means that call fetches the file itself
/// (and reports any failure with the exit code recovery depends on).
public struct WALBackgroundFetcher: Sendable {
    /// Fetches and verifies objects.
    public let fetcher: WALFetcher
    /// Segments fetched at once.
    public let parallel: Int
    /// How long to wait for a new request before exiting.
    public let idleExit: Duration
    /// How often to look for a new request.
    public let pollInterval: Duration

    /// Creates the background fetcher.
    public init(fetcher: WALFetcher, parallel: Int = 2, idleExit: Duration = .seconds(10), pollInterval: Duration = .milliseconds(20)) {
        self.fetcher = fetcher
        self.parallel = max(1, parallel)
        self.idleExit = idleExit
        self.pollInterval = pollInterval
    }

    /// Prefetches until idle or recovery ended; returns at once when another background fetcher holds the queue.
    /// Answers how many segments it queued.
    @discardableResult
    public func run() async throws -> Int {
        let queue = fetcher.queue
        try FileManager.default.createDirectory(atPath: queue.directory, withIntermediateDirectories: true)
        guard let lock = try ExclusiveFileLock.tryAcquire(queue.lockPath) else { return 0 }
        let archive = WALArchive(repository: fetcher.repository, identity: fetcher.identity)
        let segmentSize = fetcher.identity.walSegmentSize
        var requested: WALFileName?
        var lastRequestAt = ContinuousClock.now
        // The first segment found absent, and when: nothing at or past it is fetched until it is looked for again.
        var absent: (name: WALFileName, at: ContinuousClock.Instant)?
        var inFlight = Set<WALFileName>()
        var queued = 0
        return try await withThrowingTaskGroup(of: Wakeup.self) { group in
            var ticking = false
            while true {
                if let latest = queue.requested(segmentSize: segmentSize), latest != requested {
                    requested = latest
                    lastRequestAt = ContinuousClock.now
                    queue.sweep(before: latest)
                }
                guard lock.isStillAtPath else {
                    // The queue folder was removed or replaced (recovery over, or a new restore): not ours any more.
                    group.cancelAll()
                    return queued
                }
                let recovering = fetcher.isInRecovery
                if !recovering || ContinuousClock.now - lastRequestAt >= idleExit {
                    group.cancelAll()
                    while (try? await group.next()) != nil {}
                    // Recovery is over: the queue goes. It stopped asking (paused at its target, or stopped): what is
                    // queued may never be used, and a later call fetches what it needs.
                    if recovering { queue.clearEntries() } else { queue.clear() }
                    return queued
                }
                if let seen = absent, ContinuousClock.now - seen.at >= .seconds(1) { absent = nil }
                if let requested {
                    let window = (1...max(1, fetcher.settings.prefetch)).map { requested.advanced(by: UInt64($0)) }
                    let wanted = window.filter { next in
                        !inFlight.contains(next) && !queue.contains(next) && absent.map { next.segmentNumber < $0.name.segmentNumber } ?? true
                    }
                    for next in wanted.prefix(parallel - inFlight.count) {
                        inFlight.insert(next)
                        queue.markFetching(next)
                        group.addTask { .prefetched(next, await self.prefetch(next, archive: archive, queue: queue)) }
                    }
                }
                // Wake for whichever comes first: a prefetch finishing, or time to look at the requests again.
                if !ticking {
                    ticking = true
                    let interval = pollInterval
                    group.addTask {
                        try await Task.sleep(for: interval)
                        return .tick
                    }
                }
                switch try await group.next() {
                case .tick?, nil:
                    ticking = false
                case .prefetched(let name, let outcome)?:
                    inFlight.remove(name)
                    queue.unmarkFetching(name)
                    switch outcome {
                    case .queued: queued += 1
                    case .absent:
                        if absent.map({ name.segmentNumber < $0.name.segmentNumber }) ?? true { absent = (name, ContinuousClock.now) }
                    case .failed: break
                    }
                }
            }
        }
    }

    private enum Wakeup: Sendable {
        case tick
        case prefetched(WALFileName, WALArchive.PrefetchOutcome)
    }

    /// Fetches one segment into the queue.
    private func prefetch(_ name: WALFileName, archive: WALArchive, queue: WALFetchQueue) async -> WALArchive.PrefetchOutcome {
        do {
            let plain = try await WALFetcher.withDeadline(fetcher.settings.timeout, what: "prefetching \(name)") {
                try await archive.fetch(name, keyring: self.fetcher.keyring)
            }
            guard let plain else { return .absent }
            let entry = WALFetchQueue.Entry(name: name.description, sha256: WALObject.sha256(plain), bytes: Int64(plain.count),
                                            repository: fetcher.repository.storage.location, systemIdentifier: fetcher.identity.systemIdentifier,
                                            origin: fetcher.settings.origin)
            try queue.add(plain, entry: entry, name: name)
            fetcher.logger.info("prefetched \(name)", metadata: ["wal.file": "\(name)"])
            return .queued
        } catch {
            // The restore_command call for it fetches it itself and reports properly.
            fetcher.logger.warning("prefetch of \(name) failed: \(error)", metadata: ["wal.file": "\(name)"])
            return .failed
        }
    }
}

extension WALArchive {
    /// What a background prefetch of one segment came to.
    public enum PrefetchOutcome: Sendable {
        /// Verified and in the queue.
        case queued
        /// Not in the repository (yet).
        case absent
        /// Anything else; the `restore_command` call fetches it itself.
        case failed
    }
}
