import Foundation
import WALFastPath
#if canImport(Glibc)
import Glibc
#endif

/// The local side of parallel `wal-push`: which segments PostgreSQL has ready (`pg_wal/archive_status/*.ready`), and
/// acknowledgements of segments a look-ahead already stored (`<spool>/<name>.ok`).
///
/// Like pgBackRest's asynchronous archive-push, a look-ahead never tells PostgreSQL anything itself: it stores the next
/// ready segments and writes an `.ok` file for each one *after* the repository confirmed it durable. When PostgreSQL
/// later runs `archive_command` for such a segment, `wal-push` finds the acknowledgement, checks that it describes
/// exactly this file's content (SHA-256 and size), this repository and this cluster, and returns at once. A missing,
/// unreadable or mismatching acknowledgement only means "push it now": it can never make a segment look archived
/// when it is not.
///
/// PostgreSQL's own `.ready` files are never renamed here: the archiver keeps its own list of them in memory and the
/// checkpointer recycles segments whose status is `.done`, so marking one done behind its back could let a segment be
/// removed before the repository has it.
public struct WALPushSpool: Sendable {
    /// One acknowledgement: what was stored, where.
    public struct Acknowledgement: Codable, Sendable, Hashable {
        /// The WAL file's name.
        public var name: String
        /// SHA-256 of the file's bytes when it was stored.
        public var sha256: String
        /// The file's size.
        public var bytes: Int64
        /// The repository it was stored in (`RepositoryStorage.location`).
        public var repository: String
        /// The cluster it belongs to.
        public var systemIdentifier: String
        /// The file as `stat(2)` saw it when it was read for the push (nil: unknown).
        public var file: FileStamp?
        /// The repository configuration as given (`lifeboat-wal` compares it; it cannot open the repository).
        public var origin: String?

        /// Creates an acknowledgement.
        public init(name: String, sha256: String, bytes: Int64, repository: String, systemIdentifier: String, file: FileStamp? = nil, origin: String? = nil) {
            self.name = name
            self.sha256 = sha256
            self.bytes = bytes
            self.repository = repository
            self.systemIdentifier = systemIdentifier
            self.file = file
            self.origin = origin
        }
    }

    /// A file's `stat` as recorded with an acknowledgement (shared with `lifeboat-wal`, which compares it).
    public typealias FileStamp = WALFastPath.FileStamp

    /// The data directory (its `pg_wal` holds the segments and `archive_status`).
    public let dataDirectory: String
    /// Where acknowledgements are kept.
    public let directory: String

    /// A spool for `dataDirectory`; by default in `pg_wal/lifeboat-push/` (pg_basebackup does not copy folders
    /// inside pg_wal, and PostgreSQL ignores names that are not WAL).
    public init(dataDirectory: String, directory: String? = nil) {
        self.dataDirectory = dataDirectory
        self.directory = directory ?? dataDirectory + "/pg_wal/lifeboat-push"
    }

    /// The files PostgreSQL has marked ready for archiving, in WAL order (history files first in their timeline).
    public func readyFiles(segmentSize: UInt64) -> [WALFileName] {
        let status = dataDirectory + "/pg_wal/archive_status"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: status)) ?? []
        return entries.compactMap { entry -> WALFileName? in
            guard entry.hasSuffix(".ready") else { return nil }
            return WALFileName(String(entry.dropLast(".ready".count)), segmentSize: segmentSize)
        }.sorted()
    }

    /// Whether an acknowledgement file exists for `name` (not checked; see `acknowledgement(of:)`).
    public func hasAcknowledgement(_ name: WALFileName) -> Bool {
        FileManager.default.fileExists(atPath: path(name))
    }

    /// The acknowledgement of `name`, or nil when there is none or it cannot be read.
    public func acknowledgement(of name: WALFileName) -> Acknowledgement? {
        guard let data = FileManager.default.contents(atPath: path(name)) else { return nil }
        return try? JSONDecoder().decode(Acknowledgement.self, from: data)
    }

    /// Records that `acknowledgement.name` is durable in the repository. Written to a temporary file and renamed, so a
    /// reader sees a whole acknowledgement or none (a torn one fails to decode and is ignored).
    public func record(_ acknowledgement: Acknowledgement) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let final = directory + "/" + acknowledgement.name + ".ok"
        let temporary = final + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let data = try JSONEncoder().encode(acknowledgement)
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw LifeboatError(.repository, "cannot write \(temporary)", hint: "check that the spool folder \(directory) is writable by the PostgreSQL user")
        }
        guard rename(temporary, final) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileDescriptorIO.posixError(code, "recording \(acknowledgement.name) in \(directory)")
        }
    }

    /// Forgets the acknowledgement of `name` (PostgreSQL has been told, or it did not match).
    public func remove(_ name: WALFileName) {
        unlink(path(name))
    }

    // MARK: The background pusher (`wal-push --async`)

    /// Held by the background pusher while it runs (at most one per spool).
    public var lockPath: String { directory + "/background.lock" }
    /// Where the background pusher's own messages go (its standard error).
    public var logPath: String { directory + "/background.log" }

    /// Records that the background push of `name` failed, with the reason, for the `wal-push` call that waits for it.
    public func recordFailure(of name: WALFileName, reason: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try WALFetchQueue.writeAtomically(Data(reason.utf8), to: failurePath(name))
    }

    /// Whether a failure of `name` is recorded and not yet reported.
    public func hasFailure(_ name: WALFileName) -> Bool {
        FileManager.default.fileExists(atPath: failurePath(name))
    }

    /// The recorded failure of `name`, removed as it is read (so the background pusher tries again next time).
    public func takeFailure(of name: WALFileName) -> String? {
        guard let data = FileManager.default.contents(atPath: failurePath(name)) else { return nil }
        unlink(failurePath(name))
        return String(decoding: data, as: UTF8.self)
    }

    private func failurePath(_ name: WALFileName) -> String { directory + "/" + name.description + ".error" }

    // MARK: Housekeeping

    /// Removes acknowledgements and failures whose file PostgreSQL no longer lists as ready (it was archived, or
    /// removed) and temporary files older than an hour left by a killed process.
    public func sweep(ready: Set<String>) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries {
            let full = directory + "/" + entry
            if entry.hasSuffix(".ok") {
                if !ready.contains(String(entry.dropLast(3))) { unlink(full) }
            } else if entry.hasSuffix(".error") {
                if !ready.contains(String(entry.dropLast(6))) { unlink(full) }
            } else if entry.contains(".ok.tmp-") || entry.contains(".lifeboat-tmp-") {
                var info = stat()
                if stat(full, &info) == 0, Double(info.st_mtim.tv_sec) < Date().timeIntervalSince1970 - 3600 { unlink(full) }
            }
        }
    }

    private func path(_ name: WALFileName) -> String { directory + "/" + name.description + ".ok" }
}
