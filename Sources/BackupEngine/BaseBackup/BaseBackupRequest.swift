import Foundation

/// What `lifeboat backup --kind base` was asked to do.
public struct BaseBackupRequest: Sendable {
    /// Where compression runs (see docs/FORMAT.md, "Base backups", for the measurements behind the default).
    public enum CompressionSide: String, Sendable, Hashable, CaseIterable {
        /// lifeboat compresses pg_basebackup's plain tar (zstd by default); PostgreSQL's `backup_manifest` is kept.
        case client
        /// The server compresses (`--compress=server-zstd`); PostgreSQL 15 then cannot add its `backup_manifest`,
        /// and the stop LSN is read from the backup history file in the WAL archive.
        case server
    }

    /// The server (a replication connection is made from the same settings and PG* environment).
    public var connection: ConnectionSettings
    /// `--checkpoint fast` (an immediate checkpoint) rather than a spread one.
    public var fastCheckpoint: Bool
    /// Where compression runs.
    public var compressionSide: CompressionSide
    /// zstd level for server-side compression (nil: the server's default).
    public var serverCompressionLevel: Int?
    /// How long to wait for the WAL from the backup's start to its stop segment to reach the repository.
    public var walTimeout: TimeInterval
    /// How often the archive is looked at while waiting.
    public var walPollInterval: TimeInterval
    /// Client-side data path (compression is forced to `none` for server-side compression; encryption applies to both).
    public var dataPath: DataPathOptions

    /// Creates a request.
    public init(
        connection: ConnectionSettings, fastCheckpoint: Bool = true, compressionSide: CompressionSide = .client,
        serverCompressionLevel: Int? = nil, walTimeout: TimeInterval = 300, walPollInterval: TimeInterval = 1, dataPath: DataPathOptions
    ) {
        self.connection = connection
        self.fastCheckpoint = fastCheckpoint
        self.compressionSide = compressionSide
        self.serverCompressionLevel = serverCompressionLevel
        self.walTimeout = walTimeout
        self.walPollInterval = walPollInterval
        self.dataPath = dataPath
    }
}
