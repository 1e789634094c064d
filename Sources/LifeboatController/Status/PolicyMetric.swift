import LifeboatAPI

/// A gauge value the controller exports for one policy (labels `namespace`, `policy` and, for backups, `kind`).
public struct PolicyMetric: Sendable, Hashable {
    /// The exported gauges.
    public enum Name: String, Sendable, Hashable, CaseIterable {
        /// Unix time of the newest successful backup of a kind.
        case lastSuccessTimestamp = "lifeboat_backup_last_success_timestamp_seconds"
        /// Unix time of the newest failed backup of a kind.
        case lastFailureTimestamp = "lifeboat_backup_last_failure_timestamp_seconds"
        /// Bytes read from PostgreSQL by the newest successful backup of a kind.
        case lastSizeBytes = "lifeboat_backup_last_size_bytes"
        /// Duration of the newest successful backup of a kind.
        case lastDurationSeconds = "lifeboat_backup_last_duration_seconds"
        /// Unix time the newest WAL segment reached the repository.
        case walLastShippedTimestamp = "lifeboat_wal_last_shipped_timestamp_seconds"
    }

    /// Which gauge.
    public var name: Name
    /// The backup kind (nil for WAL).
    public var kind: BackupKind?
    /// The value.
    public var value: Double

    /// Creates a value.
    public init(name: Name, kind: BackupKind? = nil, value: Double) {
        self.name = name
        self.kind = kind
        self.value = value
    }
}
