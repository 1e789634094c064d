/// What `lifeboat backup --kind logical` was asked to do.
public struct LogicalBackupRequest: Sendable {
    /// pg_dump's archive format.
    public enum Format: Sendable, Hashable {
        /// One custom-format archive per database, streamed with no local copy.
        case custom
        /// pg_dump's directory format with `jobs` parallel workers; needs local scratch space under `scratch`.
        case directory(jobs: Int, scratch: String)
    }

    public var connection: ConnectionSettings
    /// Databases to back up; ignored when `allDatabases`.
    public var databases: [String]
    /// Every database that is not a template and accepts connections.
    public var allDatabases: Bool
    /// Also store roles and tablespaces (`pg_dumpall --globals-only`).
    public var includeGlobals: Bool
    public var schemaOnly: Bool
    public var includeSchemas: [String]
    public var excludeSchemas: [String]
    public var includeTables: [String]
    public var excludeTables: [String]
    public var format: Format
    /// Count rows per table in the dump's snapshot, for `verify --restore`.
    public var countRows: Bool
    public var dataPath: DataPathOptions

    /// Creates a request.
    public init(
        connection: ConnectionSettings, databases: [String] = [], allDatabases: Bool = false, includeGlobals: Bool = true,
        schemaOnly: Bool = false, includeSchemas: [String] = [], excludeSchemas: [String] = [], includeTables: [String] = [],
        excludeTables: [String] = [], format: Format = .custom, countRows: Bool = true, dataPath: DataPathOptions
    ) {
        self.connection = connection
        self.databases = databases
        self.allDatabases = allDatabases
        self.includeGlobals = includeGlobals
        self.schemaOnly = schemaOnly
        self.includeSchemas = includeSchemas
        self.excludeSchemas = excludeSchemas
        self.includeTables = includeTables
        self.excludeTables = excludeTables
        self.format = format
        self.countRows = countRows
        self.dataPath = dataPath
    }

    /// The selection flags for pg_dump.
    var selectionArguments: [String] {
        var args: [String] = []
        if schemaOnly { args.append("--schema-only") }
        args += includeSchemas.flatMap { ["--schema", $0] }
        args += excludeSchemas.flatMap { ["--exclude-schema", $0] }
        args += includeTables.flatMap { ["--table", $0] }
        args += excludeTables.flatMap { ["--exclude-table", $0] }
        return args
    }

    var options: BackupManifest.Options {
        BackupManifest.Options(schemaOnly: schemaOnly, includeSchemas: includeSchemas, excludeSchemas: excludeSchemas, includeTables: includeTables, excludeTables: excludeTables, globals: includeGlobals)
    }
}
