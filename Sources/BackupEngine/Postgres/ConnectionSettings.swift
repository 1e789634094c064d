import Foundation

/// Where and as whom to connect to PostgreSQL.
///
/// Only the values given as flags (`-h -p -U`) are held here; everything else — PGPASSWORD, PGSSLMODE,
/// PGSSLROOTCERT, PGPASSFILE, PGSERVICE … — comes from the standard libpq environment, which both our own
/// libpq connections and the child tools (pg_dump, pg_restore) read. Passwords are never held or passed as arguments.
public struct ConnectionSettings: Sendable, Hashable {
    public var host: String?
    public var port: Int?
    public var user: String?
    /// The database used for catalog queries when none is implied (PGDATABASE, else `postgres`).
    public var maintenanceDatabase: String?

    /// Creates settings; nil fields fall back to the libpq environment.
    public init(host: String? = nil, port: Int? = nil, user: String? = nil, maintenanceDatabase: String? = nil) {
        self.host = host
        self.port = port
        self.user = user
        self.maintenanceDatabase = maintenanceDatabase
    }

    /// The environment for a child tool: ours, with the flag values as PG* variables.
    public func environment(base: [String: String] = ProcessInfo.processInfo.environment, database: String? = nil) -> [String: String] {
        var env = base
        if let host { env["PGHOST"] = host }
        if let port { env["PGPORT"] = String(port) }
        if let user { env["PGUSER"] = user }
        if let database { env["PGDATABASE"] = database }
        env["PGAPPNAME"] = env["PGAPPNAME"] ?? "lifeboat"
        return env
    }

    /// A description for messages: host, port, user, never a password.
    public func describe(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let h = host ?? environment["PGHOST"] ?? "local socket"
        let p = port.map(String.init) ?? environment["PGPORT"] ?? "5432"
        let u = user ?? environment["PGUSER"] ?? "default user"
        return "\(h):\(p) as \(u)"
    }
}
