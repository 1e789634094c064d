import BackupEngine
import Foundation

/// Runs `body` with a fresh throwaway PostgreSQL cluster (initdb + pg_ctl on a free loopback port under a
/// temporary folder, as the `postgres` user when running as root) and always stops and removes it afterwards.
public func withPostgresCluster<T>(
    _ options: LocalPostgresCluster.Options = .init(), _ body: (LocalPostgresCluster) async throws -> T
) async throws -> T {
    let cluster = try await LocalPostgresCluster.start(options: options)
    do {
        let result = try await body(cluster)
        await cluster.stop()
        return result
    } catch {
        await cluster.stop()
        throw error
    }
}

extension LocalPostgresCluster {
    /// Runs SQL statements in `database`, one after the other.
    public func execute(_ statements: [String], database: String = "postgres") async throws {
        let connection = try await PGConnection.connect(self.connection, database: database)
        defer { connection.close() }
        for statement in statements { try await connection.run(statement) }
    }

    /// The rows of a query, as text.
    public func query(_ sql: String, database: String = "postgres") async throws -> [[String?]] {
        let connection = try await PGConnection.connect(self.connection, database: database)
        defer { connection.close() }
        return try await connection.run(sql)
    }

    /// Row counts and content checksums of every table of `database`.
    public func fingerprint(_ database: String) async throws -> [String: String] {
        let connection = try await PGConnection.connect(self.connection, database: database)
        defer { connection.close() }
        let (counts, sums) = try await runBlocking { (try Catalog.rowCounts(connection), try Catalog.contentChecksums(connection)) }
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.key, "\($0.value) rows, md5 \(sums[$0.key] ?? "?")") })
    }

    /// The libpq environment a `lifeboat` child needs to reach this cluster.
    public var clientEnvironment: [String: String] {
        ["PGHOST": "127.0.0.1", "PGPORT": String(port), "PGUSER": superuser]
    }
}
