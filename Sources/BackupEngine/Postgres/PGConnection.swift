import CLibPQ
import Foundation

/// A blocking libpq connection. libpq is the reference client: it honours exactly the same environment
/// (PGHOST, PGSSLMODE, .pgpass, service files …) as pg_dump and pg_restore, which is why Lifeboat uses it
/// rather than a reimplementation of the protocol. Use it from `runBlocking` or the async helpers below.
public final class PGConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// The database this connection is attached to.
    public let database: String

    /// Connects to `database` (nil: PGDATABASE or the maintenance database).
    public init(_ settings: ConnectionSettings, database: String? = nil) throws {
        let db = database ?? settings.maintenanceDatabase ?? ProcessInfo.processInfo.environment["PGDATABASE"] ?? "postgres"
        self.database = db
        var params: [(String, String)] = [("dbname", db), ("application_name", "lifeboat"), ("connect_timeout", "10")]
        if let host = settings.host { params.append(("host", host)) }
        if let port = settings.port { params.append(("port", String(port))) }
        if let user = settings.user { params.append(("user", user)) }
        let keys = params.map { strdup($0.0) }
        let values = params.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        var keyPointers = keys.map { UnsafePointer<CChar>($0) } + [nil]
        var valuePointers = values.map { UnsafePointer<CChar>($0) } + [nil]
        let conn = PQconnectdbParams(&keyPointers, &valuePointers, 0)
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            let message = conn.map { String(cString: PQerrorMessage($0)) } ?? "out of memory"
            if let conn { PQfinish(conn) }
            throw ToolFailure.classify(tool: "libpq", what: "connecting to \(settings.describe()) database \"\(db)\"", stderr: message)
        }
        handle = conn
    }

    deinit { close() }

    /// Closes the connection.
    public func close() {
        if let handle { PQfinish(handle) }
        handle = nil
    }

    /// The server's version number (e.g. 150018).
    public var serverVersionNumber: Int { handle.map { Int(PQserverVersion($0)) } ?? 0 }

    /// Runs `sql` (optionally with text parameters $1, $2 …) and returns the rows as text (nil for NULL).
    @discardableResult
    public func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
        guard let handle else { throw LifeboatError(.connection, "the PostgreSQL connection is closed") }
        let cParams = parameters.map { strdup($0) }
        defer { cParams.forEach { free($0) } }
        var pointers = cParams.map { UnsafePointer<CChar>($0) }
        let result = pointers.withUnsafeMutableBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = String(cString: PQerrorMessage(handle))
            throw ToolFailure.classify(tool: "PostgreSQL", what: "running a query on database \"\(database)\"", stderr: message)
        }
        let rows = Int(PQntuples(result))
        let columns = Int(PQnfields(result))
        var out: [[String?]] = []
        out.reserveCapacity(rows)
        for row in 0..<rows {
            var values: [String?] = []
            values.reserveCapacity(columns)
            for column in 0..<columns {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            out.append(values)
        }
        return out
    }

    /// The first column of the first row, or nil.
    public func scalar(_ sql: String, _ parameters: [String] = []) throws -> String? {
        try query(sql, parameters).first?.first ?? nil
    }

    /// Quotes an identifier for SQL.
    public static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Quotes a string literal for SQL.
    public static func quoteLiteral(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

extension PGConnection {
    /// Connects without blocking a cooperative thread.
    public static func connect(_ settings: ConnectionSettings, database: String? = nil) async throws -> PGConnection {
        try await runBlocking { try PGConnection(settings, database: database) }
    }

    /// Runs a query without blocking a cooperative thread.
    @discardableResult
    public func run(_ sql: String, _ parameters: [String] = []) async throws -> [[String?]] {
        try await runBlocking { try self.query(sql, parameters) }
    }
}
