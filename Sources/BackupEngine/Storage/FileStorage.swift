import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A repository on a local or mounted directory (`file:///path`).
///
/// An object is written to a hidden partial file beside its final name, fsynced, and then linked to the
/// final name (`link(2)` fails if the name exists: the directory equivalent of `O_EXCL`/`If-None-Match`),
/// and the directory is fsynced. A killed writer leaves only a `.partial` file, which `prune` clears.
public struct FileStorage: RepositoryStorage {
    /// Suffix of files still being written.
    static let partialMarker = ".lifeboat-partial-"
    public let root: String
    public var location: String { "file://\(root)" }

    /// Uses `root` (created if missing).
    public init(root: String) throws {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        do {
            try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
        } catch {
            throw LifeboatError(.repository, "cannot create the repository folder \(root): \((error as NSError).localizedDescription)", hint: "check the path and its permissions")
        }
    }

    func fullPath(_ path: String) -> String { root + "/" + path }

    public func makeWriter(path: String, createOnly: Bool) async throws -> any ObjectWriter {
        let final = fullPath(path)
        let folder = (final as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let partial = final + Self.partialMarker + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "creating \(partial)") }
        return FileObjectWriter(fd: fd, partial: partial, final: final, folder: folder, createOnly: createOnly, display: path, location: location)
    }

    public func read(path: String, consume: @Sendable ([UInt8]) async throws -> Void) async throws {
        let full = fullPath(path)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw StorageErrors.notFound(path, in: location) }
            throw FileDescriptorIO.posixError(errno, "opening \(full)")
        }
        defer { close(fd) }
        // Read ahead: the next chunk comes off the disk while this one is decoded and consumed.
        var chunk = try await runBlocking { try FileDescriptorIO.read(fd, capacity: 1 << 20) }
        while !chunk.isEmpty {
            async let next = runBlocking { try FileDescriptorIO.read(fd, capacity: 1 << 20) }
            try await consume(chunk)
            chunk = try await next
        }
    }

    public func readAll(path: String) async throws -> [UInt8] {
        // Only a missing file is "not found": an unreadable one must never look absent (wal-fetch would end recovery).
        let full = fullPath(path)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw StorageErrors.notFound(path, in: location) }
            throw FileDescriptorIO.posixError(errno, "opening \(full)")
        }
        defer { close(fd) }
        return try FileDescriptorIO.readAll(fd)
    }

    public func head(path: String) async throws -> StoredObject? {
        var info = stat()
        guard stat(fullPath(path), &info) == 0 else {
            if errno == ENOENT { return nil }
            throw FileDescriptorIO.posixError(errno, "reading \(fullPath(path))")
        }
        return StoredObject(path: path, size: Int64(info.st_size), modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec)))
    }

    public func list(prefix: String) async throws -> [StoredObject] {
        try walk(prefix: prefix).filter { !$0.path.contains(Self.partialMarker) }
    }

    public func delete(paths: [String]) async throws {
        var folders = Set<String>()
        for path in paths {
            let full = fullPath(path)
            if unlink(full) != 0 && errno != ENOENT { throw FileDescriptorIO.posixError(errno, "deleting \(full)") }
            folders.insert((full as NSString).deletingLastPathComponent)
        }
        // Remove folders left empty (a deleted backup), never the root.
        for folder in folders.sorted(by: { $0.count > $1.count }) where folder != root {
            rmdir(folder)
        }
    }

    public func incompleteUploads(prefix: String) async throws -> [IncompleteUpload] {
        try walk(prefix: prefix).compactMap { object in
            guard let range = object.path.range(of: Self.partialMarker) else { return nil }
            return IncompleteUpload(path: String(object.path[..<range.lowerBound]), handle: object.path, started: object.modified)
        }
    }

    public func abort(_ upload: IncompleteUpload) async throws {
        try await delete(paths: [upload.handle])
    }

    private func walk(prefix: String) throws -> [StoredObject] {
        let fm = FileManager.default
        // Walk from the deepest existing folder named by the prefix.
        let folderPart = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : ""
        let start = folderPart.isEmpty ? root : fullPath(folderPart)
        guard let enumerator = fm.enumerator(atPath: start) else { return [] }
        var result: [StoredObject] = []
        while let relative = enumerator.nextObject() as? String {
            let path = folderPart.isEmpty ? relative : folderPart + "/" + relative
            guard path.hasPrefix(prefix) else { continue }
            var info = stat()
            guard stat(fullPath(path), &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            result.append(StoredObject(path: path, size: Int64(info.st_size), modified: Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))))
        }
        return result.sorted { $0.path < $1.path }
    }
}

/// Writes one file of a `FileStorage`; see there for the protocol.
final class FileObjectWriter: ObjectWriter, @unchecked Sendable {
    private var fd: Int32
    private let partial: String
    private let final: String
    private let folder: String
    private let createOnly: Bool
    private let display: String
    private let location: String

    init(fd: Int32, partial: String, final: String, folder: String, createOnly: Bool, display: String, location: String) {
        self.fd = fd
        self.partial = partial
        self.final = final
        self.folder = folder
        self.createOnly = createOnly
        self.display = display
        self.location = location
    }

    func write(_ bytes: [UInt8]) async throws {
        let fd = self.fd
        let what = "writing \(display) to \(location)"
        try await runBlocking { try FileDescriptorIO.write(fd, bytes, what: what) }
    }

    func finish() async throws {
        let (fd, partial, final, folder, createOnly) = (self.fd, self.partial, self.final, self.folder, self.createOnly)
        let display = self.display, location = self.location
        self.fd = -1
        try await runBlocking {
            defer { unlink(partial) }
            guard fsync(fd) == 0 else {
                let code = errno
                close(fd)
                throw FileDescriptorIO.posixError(code, "flushing \(display) to \(location)")
            }
            close(fd)
            if createOnly {
                if link(partial, final) != 0 {
                    if errno == EEXIST { throw StorageErrors.alreadyExists(display, in: location) }
                    throw FileDescriptorIO.posixError(errno, "publishing \(display) in \(location)")
                }
            } else if rename(partial, final) != 0 {
                throw FileDescriptorIO.posixError(errno, "publishing \(display) in \(location)")
            }
            let dirfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirfd >= 0 {
                fsync(dirfd)
                close(dirfd)
            }
        }
    }

    func abort() async {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(partial)
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}
