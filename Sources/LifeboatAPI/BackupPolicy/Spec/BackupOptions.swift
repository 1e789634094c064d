import KubernetesModels

/// Client-side encryption of everything written to the repository.
public struct EncryptionSpec: Codable, Sendable, Hashable {
    /// The Secret key holding the master key.
    public var keySecret: SecretKeyReference

    /// Creates an encryption spec.
    public init(keySecret: SecretKeyReference) {
        self.keySecret = keySecret
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Client-side encryption (AES-256-GCM with a fresh data key per object). Without this section backups are stored unencrypted. Losing the key makes the backups unreadable: keep a copy outside the cluster.",
        [.init("keySecret", SecretKeyReference.schema("Secret key holding the master key; passed to the backup pod only as LIFEBOAT_ENCRYPTION_KEY (secretKeyRef)."), required: true)]
    )
}

/// Compression algorithms a backup may use.
public enum CompressionAlgorithm: String, Codable, Sendable, Hashable, CaseIterable {
    /// Zstandard: good ratio at high speed (the default).
    case zstd
    /// LZ4: fastest, larger output.
    case lz4
    /// gzip: widely readable, slower.
    case gzip
    /// No compression (e.g. for data that is already compressed).
    case none

    /// The highest level the algorithm accepts, or nil when it takes no level.
    public var maximumLevel: Int? {
        switch self {
        case .zstd: 19
        case .lz4: 12
        case .gzip: 9
        case .none: nil
        }
    }
}

/// How backups are compressed.
public struct CompressionSpec: Codable, Sendable, Hashable {
    /// The algorithm used when none is written.
    public static let defaultAlgorithm = CompressionAlgorithm.zstd

    /// Algorithm (default zstd).
    public var algorithm: CompressionAlgorithm?
    /// Level; higher is smaller and slower.
    public var level: Int?

    /// Creates a compression spec.
    public init(algorithm: CompressionAlgorithm? = nil, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    /// `algorithm`, or its default.
    public var effectiveAlgorithm: CompressionAlgorithm { algorithm ?? Self.defaultAlgorithm }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Compression of backup data before it is encrypted and stored.",
        [
            .init("algorithm", .string("Compression algorithm. zstd is the best trade-off for most databases.", enum: CompressionAlgorithm.allCases.map(\.rawValue), default: defaultAlgorithm.rawValue)),
            .init("level", .integer("Compression level: zstd 1-19, lz4 1-12, gzip 1-9. Empty means the algorithm's default.", minimum: 1, maximum: 19)),
        ]
    )
}

/// WAL shipping modes.
public enum WALMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// A Deployment runs `lifeboat wal-stream` with a replication slot.
    case stream
    /// PostgreSQL's own `archive_command` runs `lifeboat wal-push`.
    case archiveCommand
    /// No WAL is shipped; only point-in-time of each backup is recoverable.
    case disabled
}

/// Continuous WAL shipping for point-in-time recovery.
public struct WALSpec: Codable, Sendable, Hashable {
    /// The mode used when none is written.
    public static let defaultMode = WALMode.disabled

    /// How WAL leaves the server (default disabled).
    public var mode: WALMode?
    /// Replication slot used in stream mode (default derived from the policy name).
    public var slotName: String?
    /// PersistentVolumeClaim for the stream spool; absent means an emptyDir (WAL not yet shipped is re-read from the slot after a restart).
    public var spoolClaimName: String?

    /// Creates a WAL spec.
    public init(mode: WALMode? = nil, slotName: String? = nil, spoolClaimName: String? = nil) {
        self.mode = mode
        self.slotName = slotName
        self.spoolClaimName = spoolClaimName
    }

    /// `mode`, or its default.
    public var effectiveMode: WALMode { mode ?? Self.defaultMode }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Continuous WAL shipping, needed for point-in-time recovery between base backups.",
        [
            .init("mode", .string(
                "stream: a Deployment runs pg_receivewal through a replication slot (no change to the server); archiveCommand: set archive_command = 'lifeboat wal-push %p' on the server yourself; disabled: no WAL is shipped.",
                enum: WALMode.allCases.map(\.rawValue), default: defaultMode.rawValue
            )),
            .init("slotName", .string("Replication slot for stream mode. Empty means one derived from the policy name. The slot is dropped when the BackupPolicy is deleted.", pattern: "^[a-z0-9_]{1,63}$")),
            .init("spoolClaimName", .string("PersistentVolumeClaim for the stream mode spool. Empty means an emptyDir: WAL received but not yet shipped is streamed again from the slot after a restart.", minLength: 1, maxLength: 253)),
        ]
    )
}
