import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Segments fetched ahead of PostgreSQL's `restore_command` calls: `<queue>/<name>` holds the decoded, checksum-verified
/// bytes and `<queue>/<name>.json` what they must hash to, which repository and which cluster they came from, and the
/// data file's `stat` as written. An entry is served only when all of that still matches — a data file changed since
/// (its stamp differs) is hashed again — so a file damaged or replaced on the local disk, or left from another
/// repository or cluster, is never handed to recovery; it leaves the queue when served.
public struct WALFetchQueue: Sendable {
    /// What an entry must be.
    public struct Entry: Codable, Sendable, Hashable {
        /// The WAL file's name.
        public var name: String
        /// SHA-256 of its bytes, as archived.
        public var sha256: String
        /// Its size.
        public var bytes: Int64
        /// The repository it came from.
        public var repository: String
        /// The cluster it belongs to.
        public var systemIdentifier: String
        /// The data file as `stat(2)` saw it right after it was written (nil: unknown).
        public var file: WALPushSpool.FileStamp?
        /// The repository configuration as given (`lifeboat-wal` compares it; it cannot open the repository).
        public var origin: String?

        /// Creates an entry.
        public init(name: String, sha256: String, bytes: Int64, repository: String, systemIdentifier: String, file: WALPushSpool.FileStamp? = nil,
                    origin: String? = nil) {
            self.name = name
            self.sha256 = sha256
            self.bytes = bytes
            self.repository = repository
            self.systemIdentifier = systemIdentifier
            self.file = file
            self.origin = origin
        }
    }

    /// The queue folder.
    public let directory: String

    /// A queue in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// Whether an entry for `name` is present (not checked).
    public func contains(_ name: WALFileName) -> Bool {
        FileManager.default.fileExists(atPath: metadataPath(name))
    }

    /// Adds verified bytes: data first, then the metadata that makes the entry visible, each through a rename. The
    /// metadata records the data file's stamp as written, so serving it needs no second hash.
    public func add(_ bytes: [UInt8], entry: Entry, name: WALFileName) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeAtomically(Data(bytes), to: dataPath(name))
        var entry = entry
        entry.file = WALPushSpool.FileStamp(path: dataPath(name))
        try Self.writeAtomically(try JSONEncoder().encode(entry), to: metadataPath(name))
    }

    /// Moves the entry for `name` to `destination` when it matches `expected` (repository and cluster) and its data
    /// file is still the one written after verification (same device, inode, size and times), or else still hashes to
    /// the recorded SHA-256. Returns the size served, or nil (and removes the entry) otherwise.
    public func take(_ name: WALFileName, repository: String, systemIdentifier: String, to destination: String) -> Int? {
        defer { remove(name) }
        guard let data = FileManager.default.contents(atPath: metadataPath(name)),
              let entry = try? JSONDecoder().decode(Entry.self, from: data),
              entry.name == name.description, entry.repository == repository, entry.systemIdentifier == systemIdentifier else { return nil }
        // Untouched since it was written from verified bytes: renamed into place without reading it (nothing else writes
        // the entry meanwhile: PostgreSQL runs restore_command one at a time).
        if let stamp = entry.file, stamp.size == entry.bytes, WALPushSpool.FileStamp(path: dataPath(name)) == stamp,
           rename(dataPath(name), destination) == 0 {
            return Int(entry.bytes)
        }
        guard let bytes = FileManager.default.contents(atPath: dataPath(name)),
              Int64(bytes.count) == entry.bytes, WALObject.sha256([UInt8](bytes)) == entry.sha256 else { return nil }
        // The bytes just verified are the ones renamed into place. Another file system: copy through a temporary file.
        if rename(dataPath(name), destination) == 0 { return bytes.count }
        guard (try? Self.writeAtomically(bytes, to: destination)) != nil else { return nil }
        return bytes.count
    }

    /// Removes the entry for `name`.
    public func remove(_ name: WALFileName) {
        unlink(metadataPath(name))
        unlink(dataPath(name))
    }

    // MARK: The background fetcher (`wal-fetch --async`)

    /// Held by the background fetcher while it runs (at most one per queue).
    public var lockPath: String { directory + "/" + Self.lockName }
    /// Where the background fetcher's own messages go (its standard error).
    public var logPath: String { directory + "/" + Self.logName }
    private static let lockName = "background.lock", logName = "background.log", requestName = "requested"

    /// Records that PostgreSQL asked for `name` (the background fetcher reads ahead of the latest request).
    public func recordRequest(_ name: WALFileName) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeAtomically(Data(name.description.utf8), to: directory + "/" + Self.requestName)
    }

    /// The segment PostgreSQL asked for last, or nil.
    public func requested(segmentSize: UInt64) -> WALFileName? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + Self.requestName) else { return nil }
        return WALFileName(String(decoding: data, as: UTF8.self), segmentSize: segmentSize)
    }

    /// Marks `name` as being fetched by the background fetcher, so a call asking for it waits instead of fetching it too.
    public func markFetching(_ name: WALFileName) {
        _ = FileManager.default.createFile(atPath: fetchingPath(name), contents: nil)
    }

    /// Clears the mark of `name`.
    public func unmarkFetching(_ name: WALFileName) {
        unlink(fetchingPath(name))
    }

    /// Whether the background fetcher is fetching `name` now.
    public func isFetching(_ name: WALFileName) -> Bool {
        FileManager.default.fileExists(atPath: fetchingPath(name))
    }

    private func fetchingPath(_ name: WALFileName) -> String { directory + "/" + name.description + ".fetching" }

    /// Removes entries PostgreSQL has gone past (same timeline, lower segment), entries older than `maxAge` seconds
    /// (recovery stopped at a target before reaching them), and temporary files of killed runs.
    public func sweep(before name: WALFileName?, maxAge: Double = 900) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let now = Date().timeIntervalSince1970
        for entry in entries {
            let full = directory + "/" + entry
            var info = stat()
            let old = stat(full, &info) == 0 && Double(info.st_mtim.tv_sec) < now - maxAge
            // The background fetcher's own files: never old while it runs (a flock does not touch the file).
            if [Self.lockName, Self.logName, Self.requestName].contains(entry) { continue }
            let stem = entry.hasSuffix(".json") ? String(entry.dropLast(5)) : entry
            if let queued = WALFileName(stem, segmentSize: name?.segmentSize ?? WALFileName.defaultSegmentSize),
               let name, queued.timeline == name.timeline, queued.segmentNumber < name.segmentNumber {
                unlink(full)
            } else if old {
                unlink(full)
            }
        }
    }

    /// Removes the queue with everything in it (recovery is over).
    public func clear() {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] { unlink(directory + "/" + entry) }
        rmdir(directory)
    }

    /// Removes the queued segments but not the background fetcher's own files (the archive ended for now).
    public func clearEntries() {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where ![Self.lockName, Self.logName, Self.requestName].contains(entry) {
            unlink(directory + "/" + entry)
        }
    }

    /// Writes `data` to a temporary file beside `path` and renames it into place.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".lifeboat-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw LifeboatError(.repository, "cannot write \(temporary)", hint: "check that the folder is writable by the PostgreSQL user and has space")
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileDescriptorIO.posixError(code, "moving \(temporary) to \(path)")
        }
    }

    private func dataPath(_ name: WALFileName) -> String { directory + "/" + name.description }
    private func metadataPath(_ name: WALFileName) -> String { directory + "/" + name.description + ".json" }
}

extension WALFileName {
    /// The segment size this name was parsed or built with.
    var segmentSize: UInt64 { 0x1_0000_0000 / segmentsPerLog }

    /// The segment `count` segments after this one on the same timeline.
    func advanced(by count: UInt64) -> WALFileName {
        WALFileName(timeline: timeline, segmentNumber: segmentNumber + count, segmentSize: segmentSize)
    }
}
