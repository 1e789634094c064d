import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster on a loopback port under a temporary directory: what `lifeboat demo`
/// runs against, what drills restore into, and what the tests use.
///
/// initdb and postgres refuse to run as root; when we are root the cluster runs as the `postgres` user
/// (through `runuser`), and its directory is handed to that user.
public final class LocalPostgresCluster: @unchecked Sendable {
    /// Options for a new cluster.
    public struct Options: Sendable {
        /// Extra `postgresql.conf` settings (`name = value` lines are written as given).
        public var settings: [String: String] = [:]
        /// When set, TCP logins need this password (SCRAM); otherwise all local logins are trusted.
        public var superuserPassword: String?
        /// Durability settings off: faster, for tests and demos only.
        public var fast = true
        /// Creates default options.
        public init() {}
    }

    /// The cluster's data directory.
    public let dataDirectory: String
    /// The root of everything this cluster wrote (removed on stop).
    public let rootDirectory: String
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The superuser's name.
    public let superuser = "postgres"
    private let binaries: PostgresBinaries
    private let runAsUser: String?
    private var running = false

    private init(rootDirectory: String, port: Int, binaries: PostgresBinaries, runAsUser: String?) {
        self.rootDirectory = rootDirectory
        self.dataDirectory = rootDirectory + "/data"
        self.port = port
        self.binaries = binaries
        self.runAsUser = runAsUser
    }

    /// Connection settings for this cluster (TCP on 127.0.0.1).
    public var connection: ConnectionSettings {
        ConnectionSettings(host: "127.0.0.1", port: port, user: superuser, maintenanceDatabase: "postgres")
    }

    /// Runs initdb and starts the server; throws with what initdb or postgres said when that fails.
    public static func start(options: Options = Options(), binaries: PostgresBinaries? = nil) async throws -> LocalPostgresCluster {
        let binaries = try binaries ?? PostgresBinaries.locate()
        _ = try binaries.path("initdb")
        _ = try binaries.path("pg_ctl")
        let root = try TemporaryFiles.makeDirectory(prefix: "lifeboat-pg", shared: true)
        let runAs: String? = geteuid() == 0 ? "postgres" : nil
        if let user = runAs {
            guard let entry = getpwnam(user) else {
                throw LifeboatError(.tool, "running as root, but there is no `postgres` user to run PostgreSQL as", hint: "create one (useradd postgres) or run as an ordinary user")
            }
            chown(root, entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        let cluster = LocalPostgresCluster(rootDirectory: root, port: try FreePort.find(), binaries: binaries, runAsUser: runAs)
        do {
            try await cluster.initialize(options: options)
            try await cluster.startServer()
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    private func initialize(options: Options) async throws {
        var args = ["-D", dataDirectory, "-U", superuser, "--encoding=UTF8", "--locale=C", "--auth-local=trust"]
        if let password = options.superuserPassword {
            let pwfile = rootDirectory + "/pwfile"
            try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: pwfile))
            try handToRunUser(pwfile)
            args += ["--auth-host=scram-sha-256", "--pwfile=\(pwfile)"]
        } else {
            args += ["--auth-host=trust"]
        }
        if options.fast { args.append("--no-sync") }
        try await runTool("initdb", args, what: "initialising a scratch cluster in \(dataDirectory)")
        var conf = [
            "listen_addresses = '127.0.0.1'",
            "port = \(port)",
            "unix_socket_directories = '\(rootDirectory)'",
            "max_connections = 40",
            "logging_collector = off",
        ]
        if options.fast { conf += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"] }
        conf += options.settings.sorted(by: { $0.key < $1.key }).map { "\($0.key) = \($0.value)" }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDirectory + "/postgresql.auto.conf"))
        handle.seekToEndOfFile()
        handle.write(Data((conf.joined(separator: "\n") + "\n").utf8))
        try handle.close()
    }

    /// Starts the server (again) and waits until it accepts connections.
    public func startServer() async throws {
        try await runTool("pg_ctl", ["-D", dataDirectory, "-l", rootDirectory + "/server.log", "-w", "-t", "60", "start"], what: "starting the scratch PostgreSQL server")
        running = true
    }

    /// Stops the server (fast shutdown) without removing anything.
    public func stopServer(mode: String = "fast") async throws {
        guard running else { return }
        running = false
        try await runTool("pg_ctl", ["-D", dataDirectory, "-m", mode, "-w", "-t", "60", "stop"], what: "stopping the scratch PostgreSQL server")
    }

    /// Stops the server and removes every file of the cluster. Safe to call more than once.
    public func stop() async {
        try? await stopServer(mode: "immediate")
        try? FileManager.default.removeItem(atPath: rootDirectory)
    }

    /// The server log, for diagnosing a failure.
    public func serverLog() -> String {
        (try? String(contentsOfFile: rootDirectory + "/server.log", encoding: .utf8)) ?? ""
    }

    /// Gives a file or folder to the user the server runs as.
    public func handToRunUser(_ path: String) throws {
        guard let user = runAsUser, let entry = getpwnam(user) else { return }
        chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    private func runTool(_ tool: String, _ args: [String], what: String) async throws {
        let path = try binaries.path(tool)
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        env["PGPASSWORD"] = nil
        if let user = runAsUser {
            _ = try await ChildProcess.run("/usr/sbin/runuser", ["-u", user, "--", path] + args, environment: env, what: what)
        } else {
            _ = try await ChildProcess.run(path, args, environment: env, what: what)
        }
    }
}
