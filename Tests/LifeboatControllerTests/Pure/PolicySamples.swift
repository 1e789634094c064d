import KubernetesModels
import LifeboatAPI
import LifeboatController

/// Policies and statuses used by the pure tests.
enum PolicySamples {
    /// A valid policy with only the required fields (and a CA, which the default verify-full needs).
    static func minimal(namespace: String = "prod", name: String = "orders") -> BackupPolicy {
        BackupPolicy(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: BackupPolicySpec(
                server: PostgresServerSpec(
                    host: "db-rw.prod.svc", databases: ["orders"], user: "backup",
                    credentials: PostgresCredentials(name: "pg-backup"),
                    tls: PostgresTLS(caSecret: SecretKeyReference(name: "pg-ca", key: "ca.crt"))
                ),
                repository: RepositorySpec(s3: S3RepositorySpec(bucket: "backups", credentialsSecret: S3CredentialsSecret(name: "s3-creds"))),
                schedules: SchedulesSpec(logical: ScheduleSpec(schedule: "30 2 * * *"))
            )
        )
    }

    /// The Secrets and claims `minimal()` and `fullyPopulated()` reference.
    static let lookups = SnapshotLookups(
        secrets: [
            "prod/pg-backup": ["password", "username"],
            "prod/pg-ca": ["ca.crt"],
            "prod/pg-client": ["tls.crt", "tls.key"],
            "prod/s3-creds": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
            "prod/lifeboat-key": ["key"],
        ],
        claims: ["prod/backup-volume", "prod/wal-spool"]
    )

    /// A policy with every optional field set (S3 repository), for schema coverage.
    static func fullyPopulated() -> BackupPolicy {
        var metadata = ObjectMeta(name: "orders", namespace: "prod", labels: ["team": "payments"])
        metadata.uid = "6b1d3c8e-0f4c-4b8e-9a52-3f1e2d7c9a10"
        metadata.generation = 3
        return BackupPolicy(
            metadata: metadata,
            spec: BackupPolicySpec(
                server: PostgresServerSpec(
                    host: "db-rw.prod.svc", port: 5433, databases: ["orders", "billing"], all: false, user: "backup",
                    credentials: PostgresCredentials(name: "pg-backup", passwordKey: "password", usernameKey: "username"),
                    tls: PostgresTLS(
                        sslMode: .verifyFull, caSecret: SecretKeyReference(name: "pg-ca", key: "ca.crt"),
                        clientCertSecret: ClientCertificateSecret(name: "pg-client", certKey: "tls.crt", keyKey: "tls.key")
                    )
                ),
                repository: RepositorySpec(
                    s3: S3RepositorySpec(
                        bucket: "backups", prefix: "prod/orders", endpoint: "https://minio.storage.svc:9000", region: "eu-central-1",
                        forcePathStyle: true, storageClass: "STANDARD_IA",
                        credentialsSecret: S3CredentialsSecret(name: "s3-creds", accessKeyIdKey: "AWS_ACCESS_KEY_ID", secretAccessKeyKey: "AWS_SECRET_ACCESS_KEY")
                    ),
                    volume: VolumeRepositorySpec(claimName: "backup-volume", path: "lifeboat/orders")
                ),
                encryption: EncryptionSpec(keySecret: SecretKeyReference(name: "lifeboat-key", key: "key")),
                compression: CompressionSpec(algorithm: .zstd, level: 6),
                schedules: SchedulesSpec(
                    logical: ScheduleSpec(schedule: "@daily-random", timeZone: "Europe/Berlin", suspend: false),
                    base: ScheduleSpec(schedule: "0 3 * * 0", timeZone: "UTC", suspend: true)
                ),
                wal: WALSpec(mode: .stream, slotName: "lifeboat_orders", spoolClaimName: "wal-spool"),
                retention: RetentionSpec(keepLast: 3, daily: 7, weekly: 4, monthly: 12, yearly: 2, maxAge: "400d"),
                freshness: "26h",
                check: CheckSpec(schedule: "*/10 * * * *"),
                pod: PodSettings(
                    image: "ghcr.io/lifeboat/lifeboat:0.1.0", imagePullPolicy: .ifNotPresent,
                    resources: ResourceRequirementsSpec(limits: ["cpu": "2", "memory": "1Gi"], requests: ["cpu": "250m", "memory": "256Mi"]),
                    nodeSelector: ["kubernetes.io/os": "linux"],
                    tolerations: [.object(["key": .string("dedicated"), "operator": .string("Equal"), "value": .string("backup"), "effect": .string("NoSchedule")])],
                    serviceAccountName: "lifeboat-worker", annotations: ["sidecar.istio.io/inject": "false"]
                )
            ),
            status: fullStatus()
        )
    }

    /// `fullyPopulated()` made valid: one repository kind, and `databases` without `all`.
    static func fullyPopulatedValid() -> BackupPolicy {
        var policy = fullyPopulated()
        policy.spec?.repository.volume = nil
        policy.spec?.server.all = nil
        return policy
    }

    static func fullStatus() -> BackupPolicyStatus {
        let record = RunRecord(
            time: "2026-11-21T02:31:02Z", backupId: "20261121T023000Z-logical", sizeBytes: 1_048_576, storedBytes: 262_144,
            durationSeconds: 62.4, message: "backed up 2 databases", jobName: "orders-logical-29398470",
            prune: PruneRecord(ok: false, deleted: 1, kept: 7, error: "access denied deleting prod/orders/x")
        )
        return BackupPolicyStatus(
            observedGeneration: 3,
            conditions: [Condition(type: "Ready", status: .true, observedGeneration: 3, lastTransitionTime: "2026-11-21T02:00:00Z", reason: "ChildrenReady", message: "CronJobs in place")],
            lastSuccessful: RunsByKind(logical: record, base: record),
            lastFailed: RunsByKind(logical: record, base: record),
            recentRuns: [RecentRun(kind: .logical, outcome: .succeeded, record: record)],
            nextScheduledRun: ScheduledRuns(logical: "2026-11-22T02:30:00Z", base: "2026-11-22T03:00:00Z"),
            handledBackupNowToken: "2026-11-21-manual",
            wal: WALStatus(lastShipped: "2026-11-21T09:59:58Z", lagBytes: 16_384, message: "streaming")
        )
    }
}
