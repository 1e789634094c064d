import KubernetesModels

/// What the controller observed: conditions, last runs, next runs.
public struct BackupPolicyStatus: Codable, Sendable, Hashable {
    /// How many entries `recentRuns` keeps.
    public static let recentRunsLimit = 10

    /// The `metadata.generation` this status was computed from.
    public var observedGeneration: Int64?
    /// Ready, LastBackupSucceeded, BackupFresh, WALArchiving.
    public var conditions: [Condition]?
    /// Newest successful run per kind.
    public var lastSuccessful: RunsByKind?
    /// Newest failed run per kind.
    public var lastFailed: RunsByKind?
    /// The newest runs first, at most `recentRunsLimit`.
    public var recentRuns: [RecentRun]?
    /// When each kind runs next.
    public var nextScheduledRun: ScheduledRuns?
    /// The last `lifeboat.dev/backup-now` annotation value acted on.
    public var handledBackupNowToken: String?
    /// WAL shipping as last measured.
    public var wal: WALStatus?

    /// Creates a status.
    public init(
        observedGeneration: Int64? = nil, conditions: [Condition]? = nil, lastSuccessful: RunsByKind? = nil, lastFailed: RunsByKind? = nil,
        recentRuns: [RecentRun]? = nil, nextScheduledRun: ScheduledRuns? = nil, handledBackupNowToken: String? = nil, wal: WALStatus? = nil
    ) {
        self.observedGeneration = observedGeneration
        self.conditions = conditions
        self.lastSuccessful = lastSuccessful
        self.lastFailed = lastFailed
        self.recentRuns = recentRuns
        self.nextScheduledRun = nextScheduledRun
        self.handledBackupNowToken = handledBackupNowToken
        self.wal = wal
    }

    /// The condition of `type`, if present.
    public func condition(_ type: BackupPolicyConditionType) -> Condition? {
        conditions?.first { $0.type == type.rawValue }
    }

    /// The schema of a `metav1.Condition` list.
    public static let conditionsSchema = SchemaNode.array(
        "Ready (spec valid, CronJobs in place), LastBackupSucceeded, BackupFresh (newest good backup younger than spec.freshness) and WALArchiving. Each has a reason and a message saying what to do.",
        of: .object("One condition.", [
            .init("type", .string("Ready, LastBackupSucceeded, BackupFresh or WALArchiving.", maxLength: 316), required: true),
            .init("status", .string("True, False or Unknown.", enum: ["True", "False", "Unknown"]), required: true),
            .init("observedGeneration", .integer("The generation the condition was computed from.", format: "int64", minimum: 0)),
            .init("lastTransitionTime", .dateTime("When status last changed."), required: true),
            .init("reason", .string("CamelCase reason, e.g. SecretNotFound or BackupStale.", maxLength: 1024), required: true),
            .init("message", .string("What is wrong and what to do, or what is fine.", maxLength: 32768), required: true),
        ]),
        listType: "map", listMapKeys: ["type"]
    )

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "What the controller observed. Written by the controller only.",
        [
            .init("observedGeneration", .integer("The metadata.generation this status reflects; older than metadata.generation means the newest spec is not acted on yet.", format: "int64", minimum: 0)),
            .init("conditions", conditionsSchema),
            .init("lastSuccessful", RunsByKind.schema("The newest successful run of each kind.")),
            .init("lastFailed", RunsByKind.schema("The newest failed run of each kind.")),
            .init("recentRuns", .array("The newest runs of every kind, newest first, at most \(recentRunsLimit).", of: RecentRun.schema, maxItems: recentRunsLimit, listType: "atomic")),
            .init("nextScheduledRun", ScheduledRuns.schema),
            .init("handledBackupNowToken", .string("The last value of the lifeboat.dev/backup-now annotation that started a backup; the same value never starts another.")),
            .init("wal", WALStatus.schema),
        ]
    )
}
