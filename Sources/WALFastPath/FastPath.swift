#if canImport(Glibc)
import Glibc
#endif

/// The per-segment fast paths of `wal-push --async` and `wal-fetch --prefetch N --async`, for `lifeboat-wal`: a small
/// program without Foundation that PostgreSQL can start for every WAL segment in a few milliseconds (the full
/// `lifeboat` takes 13–25 ms to start, which is most of what a segment costs once the background pusher or fetcher
/// does the work).
///
/// It answers only what it can prove from files the full `lifeboat` wrote, with the same checks:
/// - `wal-push`: an acknowledgement for exactly this file (name, size, device, inode, modification and change times),
///   this cluster (`global/pg_control`) and this repository configuration, which the background pusher writes only
///   once the file is durable: exit 0.
/// - `wal-fetch`: a queued segment whose entry names this cluster and repository configuration and whose data file is
///   untouched since the background fetcher wrote it from verified bytes, while a background fetcher runs: renamed
///   into place, exit 0.
/// Everything else — no acknowledgement, any mismatch, an unreadable file, an option it does not know, no background
/// process — is `.delegate`: the full `lifeboat` runs with the same arguments and decides, so the fast path can make
/// a call faster but never change its answer.
public enum FastPath {
    /// What to do.
    public enum Decision: Equatable, Sendable {
        /// Answered: exit with this status.
        case answered(Int32)
        /// Run the full `lifeboat` with the same arguments.
        case delegate
    }

    /// Decides for `arguments` (without the program name) in `currentDirectory` with `environment`.
    public static func decide(arguments: [String], environment: [String: String], currentDirectory: String) -> Decision {
        guard let parsed = FastPathArguments.parse(arguments) else { return .delegate }
        let dataDirectory = parsed.options["pgdata"] ?? dataDirectory(currentDirectory: currentDirectory, environment: environment)
        guard let system = systemIdentifier(dataDirectory: dataDirectory) else { return .delegate }
        let origin = parsed.origin(environment: environment)
        switch parsed.command {
        case "wal-push": return push(parsed, dataDirectory: dataDirectory, system: system, origin: origin, environment: environment)
        default: return fetch(parsed, dataDirectory: dataDirectory, system: system, origin: origin, environment: environment)
        }
    }

    static func push(_ arguments: FastPathArguments, dataDirectory: String, system: String, origin: String,
                     environment: [String: String]) -> Decision {
        guard arguments.isOn("async", "LIFEBOAT_WAL_PUSH_ASYNC", environment: environment) == true else { return .delegate }
        let file = arguments.positional[0]
        let name = file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? file
        let spool = arguments.value("spool-dir", "LIFEBOAT_WAL_SPOOL_DIR", environment: environment) ?? dataDirectory + "/pg_wal/lifeboat-push"
        let ackPath = spool + "/" + name + ".ok"
        guard let ack = readFile(ackPath).flatMap(MiniJSON.parse),
              ack["name"]?.string == name, ack["systemIdentifier"]?.string == system, ack["origin"]?.string == origin,
              let stamp = FileStamp(path: file), FileStamp(ack["file"]) == stamp, ack["bytes"]?.int64 == stamp.size else {
            return .delegate
        }
        unlink(ackPath)
        say("\(name) was already stored by the background pusher", environment: environment)
        return .answered(0)
    }

    static func fetch(_ arguments: FastPathArguments, dataDirectory: String, system: String, origin: String,
                      environment: [String: String]) -> Decision {
        guard arguments.isOn("async", "LIFEBOAT_WAL_FETCH_ASYNC", environment: environment) == true,
              let prefetch = arguments.value("prefetch", "LIFEBOAT_WAL_FETCH_PREFETCH", environment: environment).flatMap(Int.init),
              prefetch > 0 else { return .delegate }
        let name = arguments.positional[0], destination = arguments.positional[1]
        // Segments only (24 hex digits): history files and the rest always go to the full lifeboat.
        guard name.utf8.count == 24, name.utf8.allSatisfy({ (48...57).contains($0) || (65...70).contains($0) }) else { return .delegate }
        let queue = arguments.value("queue-dir", "LIFEBOAT_WAL_FETCH_QUEUE_DIR", environment: environment) ?? dataDirectory + "/pg_wal/lifeboat-fetch"
        // The background fetcher reads ahead of the latest request, so it hears of every one (as the full path writes it).
        guard FileLockProbe.isHeld(queue + "/background.lock"), writeAtomically(Array(name.utf8), to: queue + "/requested") else { return .delegate }
        let data = queue + "/" + name, metadata = data + ".json"
        guard let entry = readFile(metadata).flatMap(MiniJSON.parse),
              entry["name"]?.string == name, entry["systemIdentifier"]?.string == system, entry["origin"]?.string == origin,
              let stamp = FileStamp(path: data), FileStamp(entry["file"]) == stamp, entry["bytes"]?.int64 == stamp.size,
              rename(data, destination) == 0 else {
            return .delegate
        }
        unlink(metadata)
        say("restored \(name) from the prefetch queue", environment: environment)
        return .answered(0)
    }

    /// One line on standard error at LIFEBOAT_LOG_LEVEL info or debug, as the full lifeboat logs the same answers.
    static func say(_ message: String, environment: [String: String]) {
        guard let level = environment["LIFEBOAT_LOG_LEVEL"], ["info", "debug", "trace"].contains(level) else { return }
        let line = "lifeboat-wal: \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }

    /// As `lifeboat`'s DataDirectoryLocation: the current directory when it is a data directory (PostgreSQL runs
    /// archive_command and restore_command there), else PGDATA, else the current directory.
    static func dataDirectory(currentDirectory: String, environment: [String: String]) -> String {
        if access(currentDirectory + "/global/pg_control", F_OK) == 0 { return currentDirectory }
        if let pgdata = environment["PGDATA"], !pgdata.isEmpty { return pgdata }
        return currentDirectory
    }

    /// The system identifier in `global/pg_control` (its first eight bytes), as decimal text.
    static func systemIdentifier(dataDirectory: String) -> String? {
        guard let bytes = readFile(dataDirectory + "/global/pg_control", limit: 8192), bytes.count >= 8 else { return nil }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[index]) }
        return String(value)
    }

    /// A whole small file, nil when it cannot be read or is larger than `limit`.
    static func readFile(_ path: String, limit: Int = 1 << 16) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n > 0 { count += n; continue }
            if n == 0 { break }
            if errno == EINTR { continue }
            return nil
        }
        return count <= limit ? Array(bytes[0..<count]) : nil
    }

    /// Writes through a temporary file and a rename, as the full lifeboat does.
    static func writeAtomically(_ bytes: [UInt8], to path: String) -> Bool {
        let temporary = path + ".lifeboat-tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

}
