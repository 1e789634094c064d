#if canImport(Glibc)
import Glibc
#endif

/// Whether a background pusher or fetcher runs: it holds a `flock` on its lock file for its lifetime.
public enum FileLockProbe {
    /// Whether some process holds the lock on `path` now (a missing file: nobody).
    public static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return errno == EWOULDBLOCK }
        flock(fd, LOCK_UN)
        return false
    }
}
