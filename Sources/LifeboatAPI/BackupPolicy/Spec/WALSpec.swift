import KubernetesModels

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
