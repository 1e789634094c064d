import BackupEngine
import Foundation
import LifeboatTesting
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster archiving with `archive_command = 'lifeboat wal-push --repo file://… %p'` into a directory
/// repository, for the base backup and physical retention tests.
struct ArchivingCluster {
    let cluster: LocalPostgresCluster
    /// Root of the test's files (shared with the `postgres` user).
    let folder: String
    /// The repository folder.
    var repositoryPath: String { folder + "/repo" }
    /// The repository.
    let repository: Repository
    /// `lifeboat` with the cluster's PG* settings and the repository.
    let cli: LifeboatCLI

    /// Runs `body` with a fresh cluster; `archiving: false` leaves archive_mode off (WAL never arrives).
    /// `archiveCommand` replaces lifeboat's wal-push (e.g. `'false'` for archiving that always fails).
    static func with<T>(archiving: Bool = true, archiveCommand: String? = nil, extraSettings: [String: String] = [:], _ body: (ArchivingCluster) async throws -> T) async throws -> T {
        let folder = try TemporaryFiles.makeDirectory(prefix: "lifeboat-base", shared: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/repo", withIntermediateDirectories: true)
        // The server archives as `postgres` when the tests run as root: the repository must be its to write.
        if geteuid() == 0, let entry = getpwnam("postgres") {
            chown(folder, entry.pointee.pw_uid, entry.pointee.pw_gid)
            chown(folder + "/repo", entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        var options = LocalPostgresCluster.Options()
        if archiving {
            options.settings["archive_mode"] = "on"
            options.settings["archive_command"] = archiveCommand ?? "'\(LifeboatCLI.executable) wal-push --repo file://\(folder)/repo %p'"
        }
        options.settings["wal_level"] = "replica"
        options.settings["checkpoint_timeout"] = "'30s'"
        for (key, value) in extraSettings { options.settings[key] = value }
        return try await withPostgresCluster(options) { cluster in
            let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(folder)/repo"]) { $1 })
            let fixture = ArchivingCluster(cluster: cluster, folder: folder, repository: Repository(storage: try FileStorage(root: folder + "/repo")), cli: cli)
            return try await body(fixture)
        }
    }

    /// The cluster's identity as the server reports it.
    func identity() async throws -> ClusterIdentity {
        let connection = try await PGConnection.connect(cluster.connection)
        defer { connection.close() }
        return try await runBlocking { try ClusterIdentity.query(connection) }
    }

    /// Ends the current WAL segment (pg_switch_wal) and waits until it is in the repository.
    @discardableResult
    func switchAndWaitArchived(timeout: TimeInterval = 60) async throws -> WALFileName {
        try await cluster.execute(["CREATE TABLE IF NOT EXISTS wal_filler (i int)", "INSERT INTO wal_filler VALUES (1)"])
        let name = try requireValue(try await cluster.query("SELECT pg_walfile_name(pg_switch_wal())").first?.first ?? nil)
        let identity = try await identity()
        let archive = WALArchive(repository: repository, identity: identity)
        let wanted = try requireValue(WALFileName(name, segmentSize: identity.walSegmentSize))
        try await BaseBackupWALWaiter(archive: archive, timeout: timeout, pollInterval: 0.2).waitFor([wanted], purpose: "switched by the test")
        return wanted
    }
}

/// Unwraps a value a test needs, or fails with a plain error.
func requireValue<T>(_ value: T?, _ what: String = "a value") throws -> T {
    guard let value else { throw LifeboatError(.notFound, "test setup: missing \(what)") }
    return value
}
