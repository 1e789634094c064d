import KubernetesModels

/// The two kinds of backup.
public enum BackupKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// `pg_dump` of each database.
    case logical
    /// `pg_basebackup` of the whole cluster.
    case base
}

/// How a run ended.
public enum RunOutcome: String, Codable, Sendable, Hashable, CaseIterable {
    /// The run did its work.
    case succeeded = "Succeeded"
    /// The run failed; its record says why.
    case failed = "Failed"
}
