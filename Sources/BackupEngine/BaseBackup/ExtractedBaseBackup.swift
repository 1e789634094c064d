/// What `BaseBackupExtractor` restored into a data directory.
public struct ExtractedBaseBackup: Sendable, Hashable {
    /// The base backup's manifest (start/stop LSN, timeline, cluster in `physical`).
    public var manifest: BackupManifest
    /// The data directory written.
    public var dataDirectory: String
    /// Bytes of the tar stream unpacked (the data directory's size, roughly).
    public var plainBytes: Int64
    /// Regular files unpacked.
    public var files: Int
    /// True when `pg_verifybackup` checked every file against PostgreSQL's `backup_manifest`; false when the
    /// backup has no such manifest (server-side compression) or verification was not asked for.
    public var verifiedWithPostgresManifest: Bool

    /// Creates a record.
    public init(manifest: BackupManifest, dataDirectory: String, plainBytes: Int64, files: Int, verifiedWithPostgresManifest: Bool) {
        self.manifest = manifest
        self.dataDirectory = dataDirectory
        self.plainBytes = plainBytes
        self.files = files
        self.verifiedWithPostgresManifest = verifiedWithPostgresManifest
    }
}
