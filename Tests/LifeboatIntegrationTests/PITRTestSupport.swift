import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A source cluster archiving with `lifeboat wal-push` into a directory repository both the test (root) and the
/// server (`postgres`) can write, and restored servers started from point-in-time restores.
enum PITR {
    /// The user PostgreSQL runs as (nil when the tests do not run as root).
    static var serverUser: String? { geteuid() == 0 ? "postgres" : nil }

    /// A new folder the server's user owns (the repository; the parent of restored data directories).
    static func sharedFolder(_ prefix: String) throws -> String {
        let path = try TemporaryFiles.makeDirectory(prefix: prefix, shared: true)
        if let user = serverUser, let entry = getpwnam(user) { chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) }
        return path
    }

    /// Settings of a source cluster that archives into `repository` with this build's lifeboat.
    static func sourceOptions(repository: String) -> LocalPostgresCluster.Options {
        var options = LocalPostgresCluster.Options()
        options.settings = [
            "archive_mode": "on",
            "archive_command": "'\(LifeboatCLI.executable) wal-push %p --repo file://\(repository)'",
            "track_commit_timestamp": "on",
            "timezone": "'UTC'",
            "wal_level": "replica",
            "max_wal_senders": "4",
        ]
        return options
    }

    /// `lifeboat` with the cluster's connection and the repository.
    static func cli(_ cluster: LocalPostgresCluster, repository: String) -> LifeboatCLI {
        LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(repository)"]) { $1 })
    }

    /// Switches to a new WAL segment and waits until the server has archived the one it closed.
    @discardableResult
    static func switchAndWaitArchived(_ cluster: LocalPostgresCluster) async throws -> String {
        let closed = try await cluster.query("SELECT pg_walfile_name(pg_switch_wal())")[0][0]!
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let row = try await cluster.query("SELECT coalesce(last_archived_wal, ''), coalesce(last_failed_wal, '') FROM pg_stat_archiver")[0]
            if let last = row[0], last >= closed { return closed }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("segment \(closed) was not archived within 60 s; server log:\n\(cluster.serverLog().suffix(3000))")
        throw LifeboatError(.tool, "archiving timed out")
    }

    /// A marker row written in its own transaction: its xid, commit time and the insert position after the commit.
    struct Marker: Sendable {
        var id: Int
        var xid: UInt64
        var commitTime: TargetTime
        var lsnAfter: String
    }

    /// Inserts marker `id` (table `marker`) in its own transaction and records where and when it committed.
    static func marker(_ id: Int, in cluster: LocalPostgresCluster) async throws -> Marker {
        let xid = try await cluster.query("INSERT INTO marker VALUES (\(id)) RETURNING txid_current()::text")[0][0]!
        let row = try await cluster.query("SELECT to_char(pg_xact_commit_timestamp('\(xid)'::xid) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || 'Z', pg_current_wal_insert_lsn()::text")[0]
        // Commit times must differ clearly for the before/after targets.
        try await Task.sleep(for: .milliseconds(30))
        return Marker(id: id, xid: UInt64(xid)!, commitTime: try TargetTime(parsing: row[0]!.replacingOccurrences(of: " ", with: "T")), lsnAfter: row[1]!)
    }
}

/// A PostgreSQL server started on a restored data directory: waits for recovery to end and promotion.
final class RestoredServer: @unchecked Sendable {
    let dataDirectory: String
    let port: Int
    private let binaries: PostgresBinaries

    init(dataDirectory: String, port: Int? = nil) throws {
        self.dataDirectory = dataDirectory
        self.port = try port ?? FreePort.find()
        self.binaries = try PostgresBinaries.locate()
    }

    /// The recovery log the server wrote.
    var log: String { (try? String(contentsOfFile: dataDirectory + "/recovery.log", encoding: .utf8)) ?? "" }

    /// Settings for this host, hands the directory to the server's user, starts it. Returns false when pg_ctl reports
    /// the server did not start (e.g. recovery stopped with FATAL).
    func start() async throws -> Bool {
        let conf = "\nport = \(port)\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '\(dataDirectory)'\nlogging_collector = off\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.auto.conf"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(conf.utf8))
        try handle.close()
        if let user = PITR.serverUser {
            _ = try await ChildProcess.run("/bin/chown", ["-R", "\(user):\(user)", dataDirectory], what: "handing the restored data directory to \(user)")
        }
        let child = try pgctl(["-D", dataDirectory, "-l", dataDirectory + "/recovery.log", "-w", "-t", "120", "start"])
        let (status, _) = try await child.waitForExit()
        return status == 0
    }

    /// Waits until recovery has ended (the server promoted); false when it did not within `seconds`.
    func waitForPromotion(seconds: Double = 90) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let rows = try? await query("SELECT pg_is_in_recovery()::text"), rows.first?.first == "false" { return true }
            if !isRunning { return false }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Whether the postmaster is still running.
    var isRunning: Bool {
        guard let text = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let pid = Int32(text.split(separator: "\n").first ?? "") else { return false }
        return kill(pid, 0) == 0
    }

    /// Runs SQL on the restored server.
    func query(_ sql: String) async throws -> [[String?]] {
        let connection = try await PGConnection.connect(ConnectionSettings(host: "127.0.0.1", port: port, user: "postgres", maintenanceDatabase: "postgres"))
        defer { connection.close() }
        return try await connection.run(sql)
    }

    /// The marker ids present.
    func markers() async throws -> [Int] {
        try await query("SELECT id FROM marker ORDER BY id").compactMap { $0[0].flatMap { Int($0) } }
    }

    /// Stops the server (immediate) and removes its directory.
    func stopAndRemove() async {
        if isRunning, let child = try? pgctl(["-D", dataDirectory, "-m", "immediate", "-w", "-t", "60", "stop"]) {
            _ = try? await child.waitForExit()
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    private func pgctl(_ arguments: [String]) throws -> ChildProcess {
        let pgctl = try binaries.path("pg_ctl")
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("LIFEBOAT_") }
        environment["LC_ALL"] = "C"
        if let user = PITR.serverUser {
            return try ChildProcess(executable: "/usr/sbin/runuser", arguments: ["-u", user, "--", pgctl] + arguments, environment: environment, stdout: .null)
        }
        return try ChildProcess(executable: pgctl, arguments: arguments, environment: environment, stdout: .null)
    }
}
