import Foundation

/// An object as the storage backend reports it.
public struct StoredObject: Sendable, Hashable {
    /// Repository-relative path with `/` separators.
    public var path: String
    public var size: Int64
    public var modified: Date

    /// Creates a record.
    public init(path: String, size: Int64, modified: Date) {
        self.path = path
        self.size = size
        self.modified = modified
    }
}

/// Something an interrupted writer left behind: an S3 multipart upload, or a partial file.
public struct IncompleteUpload: Sendable, Hashable {
    public var path: String
    /// Backend-specific handle (S3 upload id, or the partial file's path).
    public var handle: String
    public var started: Date

    /// Creates a record.
    public init(path: String, handle: String, started: Date) {
        self.path = path
        self.handle = handle
        self.started = started
    }
}

/// The backend under a repository: a directory or an S3 bucket. Paths are relative to the repository root.
///
/// Writers make an object visible only when `finish()` succeeds, so a killed process never leaves a
/// complete-looking object; with `createOnly`, `finish()` fails rather than replace an existing object.
public protocol RepositoryStorage: Sendable {
    /// Where the repository is, for messages (never credentials).
    var location: String { get }
    /// Starts writing an object.
    func makeWriter(path: String, createOnly: Bool) async throws -> any ObjectWriter
    /// Streams an object's bytes to `consume`, chunk by chunk.
    func read(path: String, consume: @Sendable ([UInt8]) async throws -> Void) async throws
    /// Reads a whole (small) object.
    func readAll(path: String) async throws -> [UInt8]
    /// The object's size and time, or nil when it does not exist.
    func head(path: String) async throws -> StoredObject?
    /// Every object whose path starts with `prefix`, recursively.
    func list(prefix: String) async throws -> [StoredObject]
    /// Deletes objects; missing ones are ignored.
    func delete(paths: [String]) async throws
    /// Uploads that were started but never finished.
    func incompleteUploads(prefix: String) async throws -> [IncompleteUpload]
    /// Removes an unfinished upload.
    func abort(_ upload: IncompleteUpload) async throws
}

/// Writes one object; see `RepositoryStorage`.
public protocol ObjectWriter: AnyObject, Sendable {
    /// Appends bytes.
    func write(_ bytes: [UInt8]) async throws
    /// Makes the object durable and visible.
    func finish() async throws
    /// Discards what was written; safe after a failure.
    func abort() async
}

extension RepositoryStorage {
    /// Writes a whole small object in one go.
    public func writeAll(path: String, bytes: [UInt8], createOnly: Bool) async throws {
        let writer = try await makeWriter(path: path, createOnly: createOnly)
        do {
            try await writer.write(bytes)
            try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
    }
}

/// Errors common to every backend.
public enum StorageErrors {
    /// The object exists and must not be replaced.
    public static func alreadyExists(_ path: String, in location: String) -> LifeboatError {
        LifeboatError(.alreadyExists, "\(path) already exists in \(location) and is never overwritten", hint: "another writer created it first; run again to get a new backup id")
    }

    /// The object does not exist.
    public static func notFound(_ path: String, in location: String) -> LifeboatError {
        LifeboatError(.notFound, "\(path) does not exist in \(location)")
    }
}
