#if canImport(Glibc)
import Glibc
#endif

/// What identifies one version of a file without reading it: device, inode, size, and modification and change times in
/// nanoseconds. PostgreSQL never rewrites a completed segment in place, and the change time cannot be set back by
/// anyone, so an unchanged stamp means unchanged bytes. One definition for `lifeboat` (which records stamps in WAL
/// acknowledgements and queue entries) and `lifeboat-wal` (which compares them), so the two can never disagree.
public struct FileStamp: Codable, Sendable, Hashable {
    /// `st_dev`.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64
    /// `st_size`.
    public var size: Int64
    /// `st_mtim` in nanoseconds.
    public var modified: Int64
    /// `st_ctim` in nanoseconds.
    public var changed: Int64

    /// The stamp of the file at `path`, or nil when it cannot be read.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
    }

    /// The stamp recorded in a JSON object (as JSONEncoder writes this type), nil when absent or incomplete.
    init?(_ json: MiniJSON?) {
        guard let json, let device = json["device"]?.uint64, let inode = json["inode"]?.uint64, let size = json["size"]?.int64,
              let modified = json["modified"]?.int64, let changed = json["changed"]?.int64 else { return nil }
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }
}
