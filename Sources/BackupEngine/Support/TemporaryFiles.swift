import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Private temporary folders (mode 0700 unless widened on purpose).
public enum TemporaryFiles {
    /// Creates a new, empty folder in `parent` (default: TMPDIR or /tmp) and returns its path. Private (0700)
    /// unless `shared`, which opens it to other users (a cluster running as `postgres` must reach its files).
    public static func makeDirectory(prefix: String, in parent: String? = nil, shared: Bool = false) throws -> String {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else {
            throw FileDescriptorIO.posixError(errno, "creating a temporary folder in \(base)")
        }
        let path = String(cString: result)
        chmod(path, shared ? 0o755 : 0o700)
        return path
    }
}

/// Finds a free TCP port on the loopback interface.
public enum FreePort {
    /// Binds port 0 on 127.0.0.1, reads the port the kernel chose and releases it.
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "opening a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw FileDescriptorIO.posixError(errno, "binding a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
