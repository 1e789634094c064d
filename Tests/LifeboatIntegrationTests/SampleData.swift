import BackupEngine
import LifeboatTesting

/// Sample databases with varied types, constraints and a non-public schema.
enum SampleData {
    /// Creates `database` with `rows` orders (and related tables).
    static func load(_ cluster: LocalPostgresCluster, database: String, rows: Int = 2000) async throws {
        try await cluster.execute(["CREATE DATABASE \(PGConnection.quoteIdentifier(database))"])
        try await cluster.execute([
            "CREATE TABLE customers (id int PRIMARY KEY, name text, data jsonb, born date)",
            "INSERT INTO customers SELECT i, 'name ' || i || E' \\u00e9\\t\"q\"', jsonb_build_object('i', i), date '2000-01-01' + i FROM generate_series(1, \(max(1, rows / 10))) i",
            "CREATE TABLE orders (id bigserial PRIMARY KEY, customer int REFERENCES customers(id), amount numeric(10,2), note text, blob bytea)",
            "INSERT INTO orders (customer, amount, note, blob) SELECT 1 + i % \(max(1, rows / 10)), i * 1.25, CASE WHEN i % 5 = 0 THEN NULL ELSE md5(i::text) END, decode(md5(i::text), 'hex') FROM generate_series(1, \(rows)) i",
            "CREATE SCHEMA audit",
            "CREATE TABLE audit.events (at timestamptz DEFAULT now(), what text)",
            "INSERT INTO audit.events (what) SELECT 'event ' || i FROM generate_series(1, 50) i",
            "CREATE VIEW big_orders AS SELECT * FROM orders WHERE amount > 100",
        ], database: database)
    }

    /// Adds incompressible rows so a dump spans several S3 parts or takes a while.
    static func addBulk(_ cluster: LocalPostgresCluster, database: String, megabytes: Int) async throws {
        try await cluster.execute([
            "CREATE TABLE bulk (id int, payload bytea)",
            "INSERT INTO bulk SELECT i, decode(string_agg(md5(i::text || '-' || j), ''), 'hex') FROM generate_series(1, \(megabytes * 64)) i, generate_series(1, 1024) j GROUP BY i",
        ], database: database)
    }
}
