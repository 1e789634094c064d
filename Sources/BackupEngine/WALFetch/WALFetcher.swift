import Foundation
import Logging

/// `restore_command`'s work: puts an archived WAL file where PostgreSQL asked for it, verified against the checksum
/// kept with it, and tells apart the two answers recovery depends on:
/// - ``Outcome/absent``: the repository confirmed there is no such file (and that it holds this cluster's WAL), so
///   the archive ends here and recovery may finish;
/// - a thrown error: anything else (unreachable, denied, timed out, damaged, wrong key), after retries. Recovery must
///   then stop rather than promote a server that is missing WAL it could have had.
///
/// A segment that is absent but archived as `.partial` (the stream mode ships the unfinished segment) is served from
/// the partial object, padded with zeros to the segment size as PostgreSQL expects of a restored segment.
public struct WALFetcher: Sendable {
    /// Where a restored file came from.
    public enum Source: String, Sendable, Hashable {
        /// The archived object of that name.
        case archive
        /// The archived `.partial` object of that segment.
        case partial
        /// The prefetch queue.
        case queue
    }

    /// The answer for PostgreSQL.
    public enum Outcome: Sendable, Hashable {
        /// Written to the destination.
        case restored(bytes: Int, source: Source)
        /// The repository confirms the file is not archived.
        case absent
    }

    /// The repository holding the archive.
    public let repository: Repository
    /// The cluster being recovered.
    public let identity: ClusterIdentity
    /// Keys for encrypted objects.
    public let keyring: EncryptionKeyring?
    /// The data directory being recovered (the default queue lives in its `pg_wal`).
    public let dataDirectory: String
    /// Retries, time limit and prefetch.
    public let settings: WALFetchSettings
    /// Receives retries and what was served.
    public let logger: Logger

    /// Creates a fetcher.
    public init(repository: Repository, identity: ClusterIdentity, keyring: EncryptionKeyring?, dataDirectory: String, settings: WALFetchSettings, logger: Logger) {
        self.repository = repository
        self.identity = identity
        self.keyring = keyring
        self.dataDirectory = dataDirectory
        self.settings = settings
        self.logger = logger
    }

    /// The prefetch queue in use.
    public var queue: WALFetchQueue {
        WALFetchQueue(directory: settings.queueDirectory ?? dataDirectory + "/pg_wal/lifeboat-fetch")
    }

    /// Fetches `fileName` (`%f`) into `destination` (`%p`, written through a temporary file and a rename).
    public func fetch(_ fileName: String, to destination: String) async throws -> Outcome {
        guard let name = WALFileName(fileName, segmentSize: identity.walSegmentSize) else {
            throw LifeboatError(.invalidInput, "\"\(fileName)\" is not a WAL file name", hint: "use restore_command = 'lifeboat wal-fetch %f %p'")
        }
        let archive = WALArchive(repository: repository, identity: identity)
        let queue = self.queue
        let prefetching = settings.prefetch > 0 && name.kind == .segment
        if prefetching {
            queue.sweep(before: name)
            if let bytes = queue.take(name, repository: repository.storage.location, systemIdentifier: identity.systemIdentifier, to: destination) {
                logger.info("restored \(name) from the prefetch queue", metadata: ["wal.file": "\(name)"])
                // Refill only once half the window is used up: then one call fetches half a window in parallel, and
                // the calls in between return at once.
                let window = (1...settings.prefetch).map { name.advanced(by: UInt64($0)) }
                if window.filter(queue.contains).count <= settings.prefetch / 2 {
                    await prefetch(after: name, archive: archive, queue: queue)
                }
                return .restored(bytes: bytes, source: .queue)
            }
        }
        async let ahead: Void = prefetching ? prefetch(after: name, archive: archive, queue: queue) : ()
        let outcome = try await Self.withDeadline(settings.timeout, what: "fetching \(name) from \(repository.storage.location)") {
            try await self.fetchRetrying(name, to: destination)
        }
        await ahead
        if outcome == .absent, prefetching { queue.clear() }
        return outcome
    }

    /// Fetches `name` into `destination` with retries (no time limit of its own).
    func fetchRetrying(_ name: WALFileName, to destination: String) async throws -> Outcome {
        let archive = WALArchive(repository: repository, identity: identity)
        return try await retrying(name) { try await self.fetchOnce(name, archive: archive, to: destination) }
    }

    private func fetchOnce(_ name: WALFileName, archive: WALArchive, to destination: String) async throws -> Outcome {
        if let plain = try await archive.fetch(name, keyring: keyring) {
            try write(plain, to: destination)
            logger.info("restored \(name) (\(plain.count) bytes)", metadata: ["wal.file": "\(name)"])
            return .restored(bytes: plain.count, source: .archive)
        }
        if name.kind == .segment {
            var partialName = name
            partialName.kind = .partial
            if var plain = try await archive.fetch(partialName, keyring: keyring) {
                if UInt64(plain.count) < identity.walSegmentSize {
                    plain.append(contentsOf: repeatElement(0, count: Int(identity.walSegmentSize) - plain.count))
                }
                try write(plain, to: destination)
                logger.notice("restored \(name) from \(partialName): the newest WAL the archive has", metadata: ["wal.file": "\(name)"])
                return .restored(bytes: plain.count, source: .partial)
            }
        }
        try await confirmOwnership()
        if name.kind == .segment { try await refuseGap(at: name, archive: archive) }
        return .absent
    }

    /// A segment missing while later WAL of its timeline is archived is a hole in the archive, not its end: answering
    /// "absent" would end recovery there and promote without the WAL after it. One listing, only when a segment is
    /// absent (normally once, at the end of recovery).
    private func refuseGap(at name: WALFileName, archive: WALArchive) async throws {
        let later = try await archive.list(timeline: name.timeline).first {
            ($0.name.kind == .segment || $0.name.kind == .partial) && $0.name.segmentNumber > name.segmentNumber
        }
        guard let later else { return }
        throw LifeboatError(
            .integrity,
            "\(name) is missing from the archive in \(repository.storage.location), but later WAL of timeline \(name.timeline) is archived (\(later.name)); recovery would end at this gap and lose everything after it",
            hint: "put the missing segment back (from the server's pg_wal, if it still has it), or recover to a target before \(name.startLSN(segmentSize: identity.walSegmentSize))")
    }

    /// An absent file only ends recovery when the repository really holds this cluster's archive: a repository of
    /// another cluster, or one that never received WAL, would otherwise end recovery at once.
    private func confirmOwnership() async throws {
        guard let owner = try await ClusterClaim.owner(of: repository) else {
            throw LifeboatError(.repository, "\(repository.storage.location) holds no WAL archive of any cluster (no \(ClusterClaim.path))",
                                hint: "check LIFEBOAT_REPO: restore_command must read the repository the server archived into")
        }
        guard owner.systemIdentifier == identity.systemIdentifier, owner.majorVersion == identity.majorVersion else {
            throw LifeboatError(.conflict, "\(repository.storage.location) holds the WAL of cluster \(owner), but the data directory being recovered is cluster \(identity)",
                                hint: "check LIFEBOAT_REPO: restore_command must read the repository this cluster archived into")
        }
    }

    private func prefetch(after name: WALFileName, archive: WALArchive, queue: WALFetchQueue) async {
        let wanted = (1...settings.prefetch).map { name.advanced(by: UInt64($0)) }.filter { !queue.contains($0) }
        guard !wanted.isEmpty else { return }
        let location = repository.storage.location, system = identity.systemIdentifier
        await withTaskGroup(of: Void.self) { group in
            for next in wanted {
                group.addTask {
                    do {
                        let plain = try await Self.withDeadline(self.settings.timeout, what: "prefetching \(next)") {
                            try await archive.fetch(next, keyring: self.keyring)
                        }
                        guard let plain else { return }
                        let entry = WALFetchQueue.Entry(name: next.description, sha256: WALObject.sha256(plain), bytes: Int64(plain.count),
                                                        repository: location, systemIdentifier: system, origin: self.settings.origin)
                        try queue.add(plain, entry: entry, name: next)
                    } catch {
                        // PostgreSQL will ask for it; the fetch then retries and reports properly.
                        self.logger.debug("prefetch of \(next) failed: \(error)")
                    }
                }
            }
        }
    }

    private func retrying(_ name: WALFileName, _ body: () async throws -> Outcome) async throws -> Outcome {
        var delay = settings.initialBackoff
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as LifeboatError where error.code == .invalidInput {
                throw error
            } catch {
                guard attempt < settings.attempts else {
                    if settings.attempts == 1 { throw error }
                    let cause = (error as? LifeboatError).map { $0.message } ?? "\(error)"
                    throw LifeboatError((error as? LifeboatError)?.code ?? .repository, "\(cause) (gave up after \(attempt) attempts)",
                                        hint: (error as? LifeboatError)?.hint, cause: error)
                }
                logger.warning("attempt \(attempt) of \(settings.attempts) to fetch \(name) failed, retrying in \(delay): \(error)")
                try await Task.sleep(for: delay)
                delay *= 2
                attempt += 1
            }
        }
    }

    private func write(_ plain: [UInt8], to destination: String) throws {
        try WALFetchQueue.writeAtomically(Data(plain), to: destination)
    }

    /// Runs `body`, failing with a repository error when it takes longer than `limit` (it is then cancelled).
    static func withDeadline<T: Sendable>(_ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw LifeboatError(.repository, "\(what) did not finish within \(limit)", hint: "the repository is unreachable or too slow; raise --timeout or fix the connection")
            }
            return value
        }
    }
}
