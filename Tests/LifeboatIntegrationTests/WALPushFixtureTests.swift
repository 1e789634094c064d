import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Shared pieces of the wal-push and wal-fetch integration tests (no tests of its own).
enum WALFixture {
    /// A new folder the `postgres` user can write (the archive_command runs as that user when we are root).
    static func sharedDirectory() throws -> String {
        let path = try TemporaryFiles.makeDirectory(prefix: "lifeboat-wal", shared: true)
        giveToPostgres(path)
        return path
    }

    /// Hands a path to the `postgres` user when we are root.
    static func giveToPostgres(_ path: String) {
        guard geteuid() == 0, let entry = getpwnam("postgres") else { return }
        chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Cluster options archiving through `lifeboat wal-push %p`, with `environment` set in the command itself (the
    /// shell PostgreSQL runs archive_command with applies `NAME=value` prefixes). Values must not contain spaces or
    /// quotes; `rawPrefix` is inserted as is (e.g. a `$(cat file)` substitution).
    static func archivingOptions(environment: [String: String], rawPrefix: String = "") -> LocalPostgresCluster.Options {
        var options = LocalPostgresCluster.Options()
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        options.settings = [
            "archive_mode": "on",
            "archive_command": "'\(rawPrefix)\(assignments) \(LifeboatCLI.executable) wal-push %p'",
            "wal_level": "replica",
        ]
        return options
    }

    /// Writes a little, switches to a new segment, and returns the name of the segment just completed with the
    /// SHA-256 of its bytes as they are in pg_wal now.
    static func switchSegment(_ cluster: LocalPostgresCluster, rows: Int = 100) async throws -> (name: String, sha256: String) {
        try await cluster.execute([
            "CREATE TABLE IF NOT EXISTS wal_filler (id serial, note text)",
            "INSERT INTO wal_filler (note) SELECT md5(i::text) FROM generate_series(1, \(rows)) i",
        ])
        let rows = try await cluster.query("SELECT pg_walfile_name(pg_switch_wal())")
        let name = try #require(rows.first?.first ?? nil)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/pg_wal/" + name)))
        return (name, WALObject.sha256(bytes))
    }

    /// Waits until PostgreSQL reports `name` (or a later segment) archived.
    static func waitUntilArchived(_ cluster: LocalPostgresCluster, _ name: String, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let rows = try await cluster.query("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
            if let last = rows.first?.first ?? nil, last.count == 24, last >= name { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(name) was not archived within \(seconds) s; server log:\n\(cluster.serverLog().suffix(3000))")
    }

    /// `pg_stat_archiver`'s counts.
    static func archiverCounts(_ cluster: LocalPostgresCluster) async throws -> (archived: Int, failed: Int) {
        let rows = try await cluster.query("SELECT archived_count, failed_count FROM pg_stat_archiver")
        return (Int(rows.first?[0] ?? "") ?? -1, Int(rows.first?[1] ?? "") ?? -1)
    }

    /// SHA-256 of a file.
    static func sha256(file: String) throws -> String {
        WALObject.sha256([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))))
    }

    /// The archived WAL names in a directory repository.
    static func archivedNames(repository: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: repository)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.contains("/wal/") && !$0.contains("lifeboat-partial") }
            .map { String($0.split(separator: "/").last!) }.sorted()
    }

    /// The environment of a CLI run against S3 at `endpoint`.
    static func s3Environment(endpoint: URL, bucket: String = "wal") -> [String: String] {
        [
            "LIFEBOAT_REPO": "s3://\(bucket)/prod", "LIFEBOAT_S3_ENDPOINT": endpoint.absoluteString,
            "AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
        ]
    }
}
