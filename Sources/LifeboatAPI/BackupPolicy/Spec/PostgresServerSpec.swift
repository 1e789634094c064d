import KubernetesModels

/// The PostgreSQL server to back up.
public struct PostgresServerSpec: Codable, Sendable, Hashable {
    /// The port used when `port` is not set.
    public static let defaultPort = 5432

    /// Host name or IP address, usually a Service such as `db-rw.prod.svc`.
    public var host: String
    /// TCP port (default 5432).
    public var port: Int?
    /// Databases to dump in logical backups; mutually exclusive with `all`.
    public var databases: [String]?
    /// Back up every database (except templates); mutually exclusive with `databases`.
    public var all: Bool?
    /// User name; needed unless the credentials Secret names a `usernameKey`.
    public var user: String?
    /// The Secret with the password.
    public var credentials: PostgresCredentials
    /// TLS settings; absent means `sslMode: verify-full`.
    public var tls: PostgresTLS?

    /// Creates a server spec.
    public init(
        host: String, port: Int? = nil, databases: [String]? = nil, all: Bool? = nil, user: String? = nil,
        credentials: PostgresCredentials, tls: PostgresTLS? = nil
    ) {
        self.host = host
        self.port = port
        self.databases = databases
        self.all = all
        self.user = user
        self.credentials = credentials
        self.tls = tls
    }

    /// `port`, or its default.
    public var effectivePort: Int { port ?? Self.defaultPort }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "The PostgreSQL server to back up. The controller never connects to it; only the backup pods do.",
        [
            .init("host", .string("Host name or IP address of the PostgreSQL server, e.g. the read-write Service `db-rw.prod.svc`.", minLength: 1, maxLength: 253), required: true),
            .init("port", .integer("TCP port of the PostgreSQL server.", minimum: 1, maximum: 65535, default: Int64(defaultPort))),
            .init("databases", .array("Databases to include in logical backups. Set this or `all: true`, not both.", of: .string("A database name.", minLength: 1, maxLength: 63), maxItems: 100)),
            .init("all", .boolean("Back up every database except templates. Set this or `databases`, not both.")),
            .init("user", .string("PostgreSQL user to connect as. Needs the pg_read_all_data role for logical backups and REPLICATION for base backups and WAL streaming. Required unless credentials.usernameKey is set.", minLength: 1, maxLength: 63)),
            .init("credentials", PostgresCredentials.schema, required: true),
            .init("tls", PostgresTLS.schema),
        ],
        rules: [
            .init("(has(self.databases) && size(self.databases) > 0) != (has(self.all) && self.all)", message: "set exactly one of databases (a non-empty list) or all: true"),
            .init("has(self.user) || has(self.credentials.usernameKey)", message: "set user, or credentials.usernameKey to read the user name from the Secret"),
        ]
    )
}
