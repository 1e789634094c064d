import KubernetesModels

/// What the user asks for: this server, these databases, this repository, these schedules, this retention.
public struct BackupPolicySpec: Codable, Sendable, Hashable {
    /// The freshness threshold used when none is written.
    public static let defaultFreshness = "26h"

    /// The PostgreSQL server.
    public var server: PostgresServerSpec
    /// Where backups go.
    public var repository: RepositorySpec
    /// Client-side encryption; absent means unencrypted.
    public var encryption: EncryptionSpec?
    /// Compression (default zstd).
    public var compression: CompressionSpec?
    /// When backups run.
    public var schedules: SchedulesSpec
    /// WAL shipping (default disabled).
    public var wal: WALSpec?
    /// Which backups to keep.
    public var retention: RetentionSpec?
    /// Newest good backup must be younger than this (default `26h`) for BackupFresh=True.
    public var freshness: String?
    /// The periodic health check.
    public var check: CheckSpec?
    /// Settings of the worker pods.
    public var pod: PodSettings?

    /// Creates a spec.
    public init(
        server: PostgresServerSpec, repository: RepositorySpec, encryption: EncryptionSpec? = nil, compression: CompressionSpec? = nil,
        schedules: SchedulesSpec, wal: WALSpec? = nil, retention: RetentionSpec? = nil, freshness: String? = nil,
        check: CheckSpec? = nil, pod: PodSettings? = nil
    ) {
        self.server = server
        self.repository = repository
        self.encryption = encryption
        self.compression = compression
        self.schedules = schedules
        self.wal = wal
        self.retention = retention
        self.freshness = freshness
        self.check = check
        self.pod = pod
    }

    /// `freshness`, or its default.
    public var effectiveFreshness: String { freshness ?? Self.defaultFreshness }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "What to back up, where to, when, and what to keep.",
        [
            .init("server", PostgresServerSpec.schema, required: true),
            .init("repository", RepositorySpec.schema, required: true),
            .init("encryption", EncryptionSpec.schema),
            .init("compression", CompressionSpec.schema),
            .init("schedules", SchedulesSpec.schema, required: true),
            .init("wal", WALSpec.schema),
            .init("retention", RetentionSpec.schema),
            .init("freshness", .string("The newest good backup must be younger than this for BackupFresh to be True, e.g. 26h for a daily schedule with slack. Units: s, m, h, d, w.", default: defaultFreshness, pattern: PolicyDuration.pattern)),
            .init("check", CheckSpec.schema),
            .init("pod", PodSettings.schema),
        ]
    )
}
