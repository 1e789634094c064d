import Foundation
import WALFastPath
#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock(2)` lock on a file: held by at most one process at a time, released by the kernel when the
/// holder exits or is killed, so a lock file left behind never blocks anyone.
public final class ExclusiveFileLock: @unchecked Sendable {
    private let descriptor: Int32
    /// The locked file's path.
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Whether the file at `path` is still the one locked: a folder removed or replaced under a running holder (a
    /// data directory restored anew) would otherwise let a second holder start beside it, each unaware of the other.
    public var isStillAtPath: Bool {
        var held = stat(), current = stat()
        guard fstat(descriptor, &held) == 0, stat(path, &current) == 0 else { return false }
        return held.st_dev == current.st_dev && held.st_ino == current.st_ino
    }

    /// Takes the lock on `path` (created if missing) without waiting; nil when another process holds it.
    public static func tryAcquire(_ path: String) throws -> ExclusiveFileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "opening the lock file \(path)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { return nil }
            throw FileDescriptorIO.posixError(code, "locking \(path)")
        }
        return ExclusiveFileLock(descriptor: fd, path: path)
    }

    /// Whether some process holds the lock on `path` now (a missing file: nobody). The same probe `lifeboat-wal` uses.
    public static func isHeld(_ path: String) -> Bool {
        FileLockProbe.isHeld(path)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
