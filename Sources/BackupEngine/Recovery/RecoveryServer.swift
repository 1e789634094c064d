import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts PostgreSQL on a restored data directory and waits until recovery has ended and the server promoted, or
/// stopped: what `lifeboat restore --start` (and drills) use to learn the point actually reached.
///
/// The server listens on 127.0.0.1 at `port` and on a socket in the data directory. When lifeboat runs as root, the
/// directory is handed to the `postgres` user and the server runs as that user (PostgreSQL refuses root).
public struct RecoveryServer: Sendable {
    /// What recovery reached.
    public struct Reached: Sendable, Hashable {
        /// The server's WAL position after promotion.
        public var lsn: LSN?
        /// The timeline it runs on after promotion.
        public var timeline: UInt32?
        /// `recovery stopping …` from the server log, when a target stopped it.
        public var stopReason: String?
        /// The commit time of the last replayed transaction (`last completed transaction was at log time …`).
        public var lastTransactionTime: String?
    }

    /// The data directory.
    public let dataDirectory: String
    /// The TCP port.
    public let port: Int
    /// The server binaries.
    public let binaries: PostgresBinaries

    /// A server for `dataDirectory` on `port`.
    public init(dataDirectory: String, port: Int, binaries: PostgresBinaries) {
        self.dataDirectory = dataDirectory
        self.port = port
        self.binaries = binaries
    }

    /// The server log.
    public var logPath: String { dataDirectory + "/recovery.log" }

    /// The user the server runs as when we are root.
    static var runAsUser: String? { geteuid() == 0 ? "postgres" : nil }

    /// Starts the server and waits up to `timeout` seconds for recovery to end with a promotion.
    public func startAndWait(timeout: TimeInterval) async throws -> Reached {
        if let user = Self.runAsUser {
            _ = try await ChildProcess.run("/bin/chown", ["-R", "\(user):\(user)", dataDirectory], what: "handing \(dataDirectory) to the \(user) user")
        }
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(RecoveryConfiguration.shellQuote(dataDirectory))"
        // pg_ctl waits only for connections (hot standby accepts them during recovery); promotion is polled below.
        let status = try await pgctl(["-D", dataDirectory, "-l", logPath, "-o", options, "-w", "-t", String(Int(max(timeout, 10))), "start"])
        guard status == 0 else { throw failure("PostgreSQL did not start on the restored data directory") }
        let deadline = Date().addingTimeInterval(timeout)
        let settings = ConnectionSettings(host: "127.0.0.1", port: port, user: Self.runAsUser ?? NSUserName(), maintenanceDatabase: "postgres")
        while Date() < deadline {
            if let row = try? await query(settings, "SELECT pg_is_in_recovery()::text, pg_current_wal_lsn()::text, substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"),
               row.first == "false" {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                return Reached(lsn: row[1].flatMap { LSN($0) }, timeline: row[2].flatMap { UInt32($0, radix: 16) },
                               stopReason: Self.lastLine(in: log, containing: "recovery stopping"),
                               lastTransactionTime: Self.lastLine(in: log, containing: "last completed transaction was at log time")
                                   .map { String($0.components(separatedBy: "log time ").last ?? $0) })
            }
            if !isRunning { throw failure("recovery stopped before the server promoted") }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw failure("recovery did not finish within \(Int(timeout)) s (the server is still running; see \(logPath))")
    }

    /// Whether the postmaster is running.
    public var isRunning: Bool {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let pid = Int32(text.split(separator: "\n").first ?? "") else { return false }
        return kill(pid, 0) == 0
    }

    private func query(_ settings: ConnectionSettings, _ sql: String) async throws -> [String?] {
        let connection = try await PGConnection.connect(settings)
        defer { connection.close() }
        return try await connection.run(sql).first ?? []
    }

    private func failure(_ what: String) -> LifeboatError {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        let tail = log.split(separator: "\n").suffix(8).joined(separator: "\n    ")
        return LifeboatError(.tool, "\(what); the server log \(logPath) ends with:\n    \(tail)",
                             hint: "an error fetching WAL stops recovery on purpose (the archive is unreachable or a segment is damaged); fix it and start the server again")
    }

    private func pgctl(_ arguments: [String]) async throws -> Int32 {
        let pgctl = try binaries.path("pg_ctl")
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        let child: ChildProcess
        if let user = Self.runAsUser {
            child = try ChildProcess(executable: "/usr/sbin/runuser", arguments: ["-u", user, "--", pgctl] + arguments, environment: environment, stdout: .null)
        } else {
            child = try ChildProcess(executable: pgctl, arguments: arguments, environment: environment, stdout: .null)
        }
        return try await child.waitForExit().status
    }

    static func lastLine(in log: String, containing marker: String) -> String? {
        log.split(separator: "\n").last { $0.contains(marker) }.map { line in
            let text = String(line)
            // Drop PostgreSQL's "2026-11-21 10:15:00.123 UTC [123] LOG:  " prefix.
            return text.range(of: "LOG:  ").map { String(text[$0.upperBound...]) } ?? text
        }
    }
}
