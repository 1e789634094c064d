import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Blocking, EINTR-safe reads and writes on raw file descriptors (pipes and files of the data path).
public enum FileDescriptorIO {
    /// Reads up to `capacity` bytes, filling the buffer unless end of file comes first; an empty result means end of file.
    public static func read(_ fd: Int32, capacity: Int) throws -> [UInt8] {
        var failure: Int32 = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: capacity) { raw, count in
            count = 0
            while count < capacity {
                let n = Glibc.read(fd, raw.baseAddress! + count, capacity - count)
                if n > 0 { count += n; continue }
                if n == 0 { break }
                if errno == EINTR { continue }
                failure = errno
                break
            }
        }
        if failure != 0 { throw posixError(failure, "read") }
        return buffer
    }

    /// Reads until end of file.
    public static func readAll(_ fd: Int32) throws -> [UInt8] {
        // A regular file is read straight into one buffer of its size: a 16 MiB WAL segment read in 64 KiB appends
        // cost more kernel time (fresh pages zeroed for every regrown copy) than compressing it.
        var info = stat()
        let size = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        var all = try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if n > 0 { count += n; continue }
                if n == 0 { return }
                if errno == EINTR { continue }
                throw posixError(errno, "reading")
            }
        }
        // A pipe, or a file that grew meanwhile: the rest in chunks.
        while true {
            let chunk = try read(fd, capacity: 1 << 16)
            if chunk.isEmpty { return all }
            all.append(contentsOf: chunk)
        }
    }

    /// Writes all of `bytes`; throws with `errno` on failure (ENOSPC becomes a disk-full error).
    public static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n >= 0 { offset += n; continue }
            if errno == EINTR { continue }
            throw posixError(errno, what)
        }
    }

    /// Writes all of `bytes`.
    public static func write(_ fd: Int32, _ bytes: [UInt8], what: String) throws {
        try bytes.withUnsafeBytes { try write(fd, $0, what: what) }
    }

    /// A `LifeboatError` for an `errno` value.
    public static func posixError(_ code: Int32, _ what: String) -> LifeboatError {
        let text = String(cString: strerror(code))
        if code == ENOSPC || code == EDQUOT {
            return LifeboatError(.diskFull, "\(what): no space left on device", hint: "free space or grow the volume, then run again; nothing partial was kept")
        }
        if code == EPIPE {
            return LifeboatError(.tool, "\(what): the other end of the pipe closed early (\(text))")
        }
        return LifeboatError(.repository, "\(what): \(text)")
    }
}
