import Foundation
import Logging

/// `archive_command`'s work: checks that a WAL file belongs to this data directory's cluster, compresses and
/// optionally encrypts it, and stores it create-only in the repository's WAL archive. Returns only when the file is
/// durable there (or was already archived with the same content, or acknowledged by an earlier look-ahead).
///
/// With `parallel > 1`, the next files PostgreSQL has marked `.ready` are pushed at the same time and acknowledged in
/// the ``WALPushSpool`` once stored, so PostgreSQL's later `archive_command` calls for them return at once.
public struct WALPusher: Sendable {
    /// The repository to archive into.
    public let repository: Repository
    /// The data directory of the server whose WAL this is.
    public let dataDirectory: String
    /// Compression and encryption.
    public let options: DataPathOptions
    /// Acknowledgements of look-ahead pushes.
    public let spool: WALPushSpool
    /// Receives one info line per stored file.
    public let logger: Logger
    /// The repository configuration as given, recorded in acknowledgements for `lifeboat-wal` (nil: not recorded).
    public let origin: String?

    /// Creates a pusher; `spoolDirectory` defaults to `pg_wal/lifeboat-push` in the data directory.
    public init(repository: Repository, dataDirectory: String, options: DataPathOptions, spoolDirectory: String? = nil, origin: String? = nil, logger: Logger) {
        self.repository = repository
        self.dataDirectory = dataDirectory
        self.options = options
        self.spool = WALPushSpool(dataDirectory: dataDirectory, directory: spoolDirectory)
        self.origin = origin
        self.logger = logger
    }

    /// Archives the WAL file at `file` (absolute, or relative to the current directory as `%p` is), pushing up to
    /// `parallel - 1` other ready files alongside. Throws when `file` itself is not durably archived; a look-ahead
    /// failure is only reported (PostgreSQL asks for that file again later).
    public func push(file: String, parallel: Int = 1) async throws -> WALPushReport {
        let identity = try ClusterIdentity.read(dataDirectory: dataDirectory)
        let name = try Self.walFileName(file, identity: identity)
        let started = ContinuousClock.now
        let acknowledgement = spool.acknowledgement(of: name)
        if let acknowledgement {
            spool.remove(name)
            if let report = acknowledged(name, file: file, by: acknowledgement, identity: identity, started: started) { return report }
        }
        let plain = try await Self.readFile(file)
        try WALSegmentCheck.check(plain, name: name, identity: identity)
        let digest = WALObject.sha256(plain)
        if let acknowledgement, acknowledgement == acknowledgementFor(name, digest: digest, bytes: plain.count, identity: identity, stamp: acknowledgement.file) {
            logger.info("\(name) was already stored by a look-ahead push", metadata: ["wal.file": "\(name)"])
            return WALPushReport(requested: WALPushResult(name: name, outcome: .acknowledged, bytes: plain.count, seconds: Self.seconds(since: started)))
        }
        try await ClusterClaim.ensure(identity, in: repository)
        let archive = WALArchive(repository: repository, identity: identity)
        var ahead: [WALFileName] = []
        if parallel > 1 {
            let ready = spool.readyFiles(segmentSize: identity.walSegmentSize)
            spool.sweep(ready: Set(ready.map(\.description)))
            ahead = Array(ready.filter { $0 != name && !spool.hasAcknowledgement($0) }.prefix(parallel - 1))
        }
        return try await withThrowingTaskGroup(of: (WALFileName, Result<WALPushResult, any Error>).self) { group in
            group.addTask {
                (name, await Self.capture { try await self.store(name, plain: plain, digest: digest, archive: archive, started: started) })
            }
            for other in ahead {
                group.addTask {
                    (other, await Self.capture { try await self.storeAndAcknowledge(other, identity: identity, archive: archive) })
                }
            }
            var requested: Result<WALPushResult, any Error>?
            var report = WALPushReport(requested: WALPushResult(name: name, outcome: .alreadyArchived, bytes: plain.count, seconds: 0))
            for try await (file, result) in group {
                if file == name {
                    requested = result
                    continue
                }
                switch result {
                case .success(let pushed): report.lookahead.append(pushed)
                case .failure(let error):
                    report.lookaheadFailures[file.description] = "\(error)"
                    logger.warning("look-ahead push of \(file) failed; PostgreSQL will ask for it again: \(error)")
                }
            }
            guard let requested else {
                throw LifeboatError(.repository, "the push of \(name) ended without a result", hint: "run wal-push again")
            }
            report.requested = try requested.get()
            report.lookahead.sort { $0.name < $1.name }
            return report
        }
    }

    /// The WAL file name of `file` (`%p`); a path that is not one PostgreSQL archives is refused.
    static func walFileName(_ file: String, identity: ClusterIdentity) throws -> WALFileName {
        guard let name = WALFileName((file as NSString).lastPathComponent, segmentSize: identity.walSegmentSize) else {
            throw LifeboatError(.invalidInput, "\(file) is not a WAL file PostgreSQL archives (segment, .partial, .history or .backup)",
                                hint: "use archive_command = 'lifeboat wal-push %p'")
        }
        return name
    }

    /// The report for `name` when `acknowledgement` (just read from the spool) vouches for `file` as it is now: the file
    /// has not changed since the look-ahead read it, so there is no need to read it again. Nil: push it.
    func acknowledged(_ name: WALFileName, file: String, by acknowledgement: WALPushSpool.Acknowledgement, identity: ClusterIdentity,
                      started: ContinuousClock.Instant) -> WALPushReport? {
        guard let stamp = acknowledgement.file, stamp == WALPushSpool.FileStamp(path: file),
              acknowledgement == acknowledgementFor(name, digest: acknowledgement.sha256, bytes: Int(stamp.size), identity: identity, stamp: stamp) else {
            return nil
        }
        logger.info("\(name) was already stored by a look-ahead push", metadata: ["wal.file": "\(name)"])
        return WALPushReport(requested: WALPushResult(name: name, outcome: .acknowledged, bytes: Int(stamp.size), seconds: Self.seconds(since: started)))
    }

    /// Pushes a file PostgreSQL lists as ready, ahead of its request, and acknowledges it in the spool once stored.
    func storeAndAcknowledge(_ name: WALFileName, identity: ClusterIdentity, archive: WALArchive) async throws -> WALPushResult {
        let begin = ContinuousClock.now
        let path = dataDirectory + "/pg_wal/" + name.description
        // Stamped before reading: a change during the read makes the stamp stale, never wrongly current.
        let stamp = WALPushSpool.FileStamp(path: path)
        let bytes = try await Self.readFile(path)
        try WALSegmentCheck.check(bytes, name: name, identity: identity)
        let digest = WALObject.sha256(bytes)
        let pushed = try await store(name, plain: bytes, digest: digest, archive: archive, started: begin)
        // Acknowledge only now that the repository has it.
        try spool.record(acknowledgementFor(name, digest: digest, bytes: bytes.count, identity: identity, stamp: stamp))
        return pushed
    }

    private func store(_ name: WALFileName, plain: [UInt8], digest: String, archive: WALArchive, started: ContinuousClock.Instant) async throws -> WALPushResult {
        let outcome: WALPushResult.Outcome = switch try await archive.push(name, plain: plain, options: options, digest: digest) {
        case .stored(let bytes): .stored(storedBytes: bytes)
        case .alreadyArchived: .alreadyArchived
        }
        try await Self.syncFolders(of: archive.path(name), in: repository.storage)
        let result = WALPushResult(name: name, outcome: outcome, bytes: plain.count, seconds: Self.seconds(since: started))
        switch result.outcome {
        case .stored(let stored):
            logger.info("archived \(name): \(plain.count) bytes stored as \(stored) in \(String(format: "%.3f", result.seconds)) s",
                        metadata: ["wal.file": "\(name)"])
        default:
            logger.info("\(name) is already archived with the same content", metadata: ["wal.file": "\(name)"])
        }
        return result
    }

    private func acknowledgementFor(_ name: WALFileName, digest: String, bytes: Int, identity: ClusterIdentity, stamp: WALPushSpool.FileStamp?) -> WALPushSpool.Acknowledgement {
        WALPushSpool.Acknowledgement(name: name.description, sha256: digest, bytes: Int64(bytes), repository: repository.storage.location,
                                     systemIdentifier: identity.systemIdentifier, file: stamp, origin: origin)
    }

    /// A directory repository fsyncs an object and the folder holding it; the folders above may have been created for
    /// it (the first segment of a cluster or timeline), and their entries must be durable too before PostgreSQL is told
    /// the segment is archived and recycles it. Done after "already archived" as well: the process that created the
    /// folders may have been killed before syncing them.
    static func syncFolders(of path: String, in storage: any RepositoryStorage) async throws {
        guard let files = storage as? FileStorage else { return }
        var folder = ((files.root + "/" + path) as NSString).deletingLastPathComponent
        var folders: [String] = []
        while folder.count > files.root.count {
            folder = (folder as NSString).deletingLastPathComponent
            folders.append(folder)
        }
        try await runBlocking { [folders] in
            for folder in folders {
                let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "opening \(folder) to flush it") }
                defer { close(fd) }
                guard fsync(fd) == 0 else { throw FileDescriptorIO.posixError(errno, "flushing \(folder)") }
            }
        }
    }

    static func readFile(_ path: String) async throws -> [UInt8] {
        try await runBlocking {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let code = errno
                if code == ENOENT {
                    throw LifeboatError(.notFound, "\(path) does not exist", hint: "archive_command must pass %p, the path relative to the data directory it runs in")
                }
                throw FileDescriptorIO.posixError(code, "opening \(path)")
            }
            defer { close(fd) }
            return try FileDescriptorIO.readAll(fd)
        }
    }

    /// Captures an async throwing body's outcome, so one failed look-ahead does not cancel the others.
    static func capture<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

