import LifeboatAPI

/// What a user must set on their PostgreSQL server for `spec.wal.mode: archiveCommand`, for the WALArchiving
/// condition's message and an Event: the operator cannot change a server it does not own, so it says exactly what to
/// set. Names Secrets and keys, never their values.
public enum ArchiveCommandInstructions {
    /// The settings and the environment the server's `lifeboat wal-push` needs, or nil when the mode is not
    /// `archiveCommand`.
    public static func text(for policy: BackupPolicy) -> String? {
        guard let spec = policy.spec, spec.wal?.effectiveMode == .archiveCommand else { return nil }
        var environment = ["LIFEBOAT_REPO=\(WorkerPodTemplate.repositoryURL(spec.repository))"]
        if let s3 = spec.repository.s3 {
            if let endpoint = s3.endpoint { environment.append("LIFEBOAT_S3_ENDPOINT=\(endpoint)") }
            environment.append("LIFEBOAT_S3_REGION=\(s3.region ?? S3RepositorySpec.defaultRegion)")
            if s3.forcePathStyle == true { environment.append("LIFEBOAT_S3_PATH_STYLE=true") }
            let secret = s3.credentialsSecret
            environment.append("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from Secret \(secret.name) (keys \(secret.effectiveAccessKeyIdKey), \(secret.effectiveSecretAccessKeyKey))")
        }
        if let key = spec.encryption?.keySecret {
            environment.append("LIFEBOAT_ENCRYPTION_KEY from Secret \(key.name) (key \(key.key))")
        }
        return "set archive_mode = on, archive_command = 'lifeboat wal-push %p' and restore_command = 'lifeboat wal-fetch %f %p' "
            + "on the server, with lifeboat in its image and these variables in its environment: "
            + environment.joined(separator: "; ")
    }
}
