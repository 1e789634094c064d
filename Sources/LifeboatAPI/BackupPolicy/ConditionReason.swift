import KubernetesModels

/// The condition types of a BackupPolicy.
public enum BackupPolicyConditionType: String, Codable, Sendable, Hashable, CaseIterable {
    /// Spec valid and children in place.
    case ready = "Ready"
    /// The newest run of any kind succeeded.
    case lastBackupSucceeded = "LastBackupSucceeded"
    /// The newest good backup is younger than `spec.freshness`.
    case backupFresh = "BackupFresh"
    /// WAL streaming or archiving is healthy (when enabled).
    case walArchiving = "WALArchiving"
}

/// CamelCase reasons of BackupPolicy conditions and Events.
public enum ConditionReason: String, Codable, Sendable, Hashable, CaseIterable {
    // Ready=False: the spec or its references are wrong.
    case secretNotFound = "SecretNotFound"
    case secretKeyMissing = "SecretKeyMissing"
    case pvcNotFound = "PVCNotFound"
    case invalidSchedule = "InvalidSchedule"
    case invalidTimeZone = "InvalidTimeZone"
    case repositoryAmbiguous = "RepositoryAmbiguous"
    case repositoryMissing = "RepositoryMissing"
    case invalidRetention = "InvalidRetention"
    case invalidDuration = "InvalidDuration"
    case invalidDatabases = "InvalidDatabases"
    case invalidServer = "InvalidServer"
    case invalidRepository = "InvalidRepository"
    case invalidWAL = "InvalidWAL"
    case invalidPodSettings = "InvalidPodSettings"
    case invalidCompression = "InvalidCompression"
    case userMissing = "UserMissing"
    case caSecretRequired = "CASecretRequired"
    case noSchedule = "NoSchedule"
    // Ready: children.
    case childrenReady = "ChildrenReady"
    case childrenPending = "ChildrenPending"
    case childrenFailed = "ChildrenFailed"
    // LastBackupSucceeded.
    case backupSucceeded = "BackupSucceeded"
    case backupFailed = "BackupFailed"
    case pruneFailed = "PruneFailed"
    case noBackupYet = "NoBackupYet"
    // BackupFresh.
    case backupStale = "BackupStale"
    case backupFresh = "BackupFresh"
    // WALArchiving.
    case walHealthy = "WALHealthy"
    case walStalled = "WALStalled"
    case walDisabled = "WALDisabled"
    case walPending = "WALPending"
}
