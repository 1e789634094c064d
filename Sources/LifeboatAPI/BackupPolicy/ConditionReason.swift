import KubernetesModels

/// The condition types of a BackupPolicy.
public enum BackupPolicyConditionType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Spec valid and children in place.
    case ready = "Ready"
    /// The newest run of any kind succeeded.
    case lastBackupSucceeded = "LastBackupSucceeded"
    /// The newest good backup is younger than `spec.freshness`.
    /// The newest good backup is younger than spec.freshness.
    case backupFresh = "BackupFresh"
    /// WAL streaming or archiving is healthy (when enabled).
    case walArchiving = "WALArchiving"
}

/// CamelCase reasons of BackupPolicy conditions and Events.
public enum ConditionReason: String, Codable, Sendable, Hashable, CaseIterable {
    // Ready=False: the spec or its references are wrong.
    /// The policy has no spec.
    case specMissing = "SpecMissing"
    /// A referenced Secret does not exist.
    case secretNotFound = "SecretNotFound"
    /// A referenced Secret lacks the named key.
    case secretKeyMissing = "SecretKeyMissing"
    /// A referenced PersistentVolumeClaim does not exist.
    case pvcNotFound = "PVCNotFound"
    /// A schedule is not a valid cron expression or macro.
    case invalidSchedule = "InvalidSchedule"
    /// A time zone is not an IANA name.
    case invalidTimeZone = "InvalidTimeZone"
    /// Both s3 and volume are set.
    case repositoryAmbiguous = "RepositoryAmbiguous"
    /// Neither s3 nor volume is set.
    case repositoryMissing = "RepositoryMissing"
    /// A retention count is negative or maxAge is not a duration.
    case invalidRetention = "InvalidRetention"
    /// A duration field (e.g. freshness) cannot be parsed.
    case invalidDuration = "InvalidDuration"
    /// The database selection is empty, contradictory or malformed.
    case invalidDatabases = "InvalidDatabases"
    /// The server host or port is unusable.
    case invalidServer = "InvalidServer"
    /// A repository setting (endpoint, path) is malformed.
    case invalidRepository = "InvalidRepository"
    /// A WAL setting (slot name) is malformed.
    case invalidWAL = "InvalidWAL"
    /// A pod setting (e.g. tolerations) is malformed.
    case invalidPodSettings = "InvalidPodSettings"
    /// The compression level does not suit the algorithm.
    case invalidCompression = "InvalidCompression"
    /// No PostgreSQL user name is given.
    case userMissing = "UserMissing"
    /// A verifying sslMode is used without a CA.
    case caSecretRequired = "CASecretRequired"
    /// No backup kind has a schedule.
    case noSchedule = "NoSchedule"
    // Ready: children.
    /// Spec valid and every child in place.
    case childrenReady = "ChildrenReady"
    /// Children are being created or updated.
    case childrenPending = "ChildrenPending"
    /// Creating or updating a child failed.
    case childrenFailed = "ChildrenFailed"
    // LastBackupSucceeded.
    /// The newest backup run succeeded.
    case backupSucceeded = "BackupSucceeded"
    /// The newest backup run failed.
    case backupFailed = "BackupFailed"
    /// The backup succeeded but its retention step failed.
    case pruneFailed = "PruneFailed"
    /// No backup run has finished yet.
    case noBackupYet = "NoBackupYet"
    // BackupFresh.
    /// The newest good backup is older than spec.freshness.
    case backupStale = "BackupStale"
    /// The newest good backup is younger than spec.freshness.
    case backupFresh = "BackupFresh"
    // WALArchiving.
    /// WAL reaches the repository.
    case walHealthy = "WALHealthy"
    /// WAL stopped reaching the repository.
    case walStalled = "WALStalled"
    /// WAL shipping is disabled.
    case walDisabled = "WALDisabled"
    /// WAL shipping has not been checked yet.
    case walPending = "WALPending"
}
