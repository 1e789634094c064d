/// Catalog queries shared by backup, verify and restore.
public enum Catalog {
    /// Tables whose rows pg_dump dumps: ordinary tables outside the system schemas, not temporary,
    /// not owned by an extension.
    static let dataTablesSQL = """
        SELECT n.nspname, c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND c.relpersistence <> 't'
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY 1, 2
        """

    /// Rows per table (`schema.table` → count) as seen by the connection's current snapshot.
    public static func rowCounts(_ connection: PGConnection) throws -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for row in try connection.query(dataTablesSQL) {
            guard let schema = row[0], let table = row[1] else { continue }
            let sql = "SELECT count(*) FROM ONLY \(PGConnection.quoteIdentifier(schema)).\(PGConnection.quoteIdentifier(table))"
            counts["\(schema).\(table)"] = Int64(try connection.scalar(sql) ?? "0") ?? 0
        }
        return counts
    }

    /// A content checksum per table: md5 over the rows' text forms in sorted order.
    public static func contentChecksums(_ connection: PGConnection) throws -> [String: String] {
        var sums: [String: String] = [:]
        for row in try connection.query(dataTablesSQL) {
            guard let schema = row[0], let table = row[1] else { continue }
            let name = "\(PGConnection.quoteIdentifier(schema)).\(PGConnection.quoteIdentifier(table))"
            let sql = "SELECT coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), md5('')) FROM ONLY \(name) t"
            sums["\(schema).\(table)"] = try connection.scalar(sql) ?? ""
        }
        return sums
    }

    /// Databases that are not templates and accept connections.
    public static func databases(_ connection: PGConnection) throws -> [String] {
        try connection.query("SELECT datname FROM pg_database WHERE NOT datistemplate AND datallowconn ORDER BY datname").compactMap { $0[0] }
    }

    /// Whether a database exists.
    public static func databaseExists(_ connection: PGConnection, _ name: String) throws -> Bool {
        try connection.scalar("SELECT 1 FROM pg_database WHERE datname = $1", [name]) != nil
    }

    /// `SHOW server_version` (e.g. `15.18 (Debian 15.18-0+deb12u1)` trimmed to `15.18`).
    public static func serverVersion(_ connection: PGConnection) throws -> String {
        let full = try connection.scalar("SHOW server_version") ?? "unknown"
        return String(full.split(separator: " ").first ?? Substring(full))
    }
}
