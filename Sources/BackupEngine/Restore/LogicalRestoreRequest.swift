/// What `lifeboat restore` (logical) was asked to do.
public struct LogicalRestoreRequest: Sendable {
    public var connection: ConnectionSettings
    /// `latest` or a backup id.
    public var backup: String
    /// Which database of the backup; needed when it holds several.
    public var sourceDatabase: String?
    /// The database to restore into.
    public var targetDatabase: String
    /// Replace an existing target; only honoured when `confirmation` names the target exactly.
    public var replace: Bool
    public var confirmation: String?
    /// Restore only these tables (pg_restore `-t`).
    public var tables: [String]
    /// Restore only these schemas (pg_restore `-n`).
    public var schemas: [String]
    /// Parallel pg_restore jobs (directory-format backups only).
    public var jobs: Int
    /// Skip ownership and privilege commands (when the roles do not exist on the target server).
    public var noOwner: Bool
    /// Also apply the backup's roles and tablespaces (existing ones are kept).
    public var restoreGlobals: Bool
    /// Folder for the local copy a directory-format restore needs.
    public var scratchDirectory: String
    public var keyring: EncryptionKeyring?

    /// Creates a request.
    public init(
        connection: ConnectionSettings, backup: String = "latest", sourceDatabase: String? = nil, targetDatabase: String,
        replace: Bool = false, confirmation: String? = nil, tables: [String] = [], schemas: [String] = [], jobs: Int = 1,
        noOwner: Bool = false, restoreGlobals: Bool = false, scratchDirectory: String = "/tmp", keyring: EncryptionKeyring? = nil
    ) {
        self.connection = connection
        self.backup = backup
        self.sourceDatabase = sourceDatabase
        self.targetDatabase = targetDatabase
        self.replace = replace
        self.confirmation = confirmation
        self.tables = tables
        self.schemas = schemas
        self.jobs = jobs
        self.noOwner = noOwner
        self.restoreGlobals = restoreGlobals
        self.scratchDirectory = scratchDirectory
        self.keyring = keyring
    }

    /// Whether only part of the database is restored.
    public var isPartial: Bool { !tables.isEmpty || !schemas.isEmpty }
}

/// What a restore did.
public struct LogicalRestoreOutcome: Sendable {
    public var backup: BackupManifest
    public var sourceDatabase: String
    public var targetDatabase: String
    /// `new`, `replaced` or `tables`.
    public var mode: String
    public var plainBytes: Int64
    public var duration: Double
}
