import KubernetesModels

/// What one finished run reported.
public struct RunRecord: Codable, Sendable, Hashable {
    /// When the run finished (RFC 3339).
    public var time: String
    /// Id of the backup in the repository.
    public var backupId: String?
    /// Bytes read from PostgreSQL.
    public var sizeBytes: Int64?
    /// Bytes written to the repository after compression and encryption.
    public var storedBytes: Int64?
    /// Wall-clock duration of the run.
    public var durationSeconds: Double?
    /// What happened, in words a person can act on.
    public var message: String?
    /// The Job that ran it.
    public var jobName: String?
    /// The retention step's outcome, reported apart from the backup's.
    public var prune: PruneRecord?

    /// Creates a record.
    public init(
        time: String, backupId: String? = nil, sizeBytes: Int64? = nil, storedBytes: Int64? = nil, durationSeconds: Double? = nil,
        message: String? = nil, jobName: String? = nil, prune: PruneRecord? = nil
    ) {
        self.time = time
        self.backupId = backupId
        self.sizeBytes = sizeBytes
        self.storedBytes = storedBytes
        self.durationSeconds = durationSeconds
        self.message = message
        self.jobName = jobName
        self.prune = prune
    }

    /// The schema properties of this type (shared with `RecentRun`, which adds kind and outcome).
    public static let schemaProperties: [SchemaNode.Property] = [
        .init("time", .dateTime("When the run finished."), required: true),
        .init("backupId", .string("Id of the backup in the repository; pass it to `lifeboat restore --backup`.")),
        .init("sizeBytes", .integer("Bytes read from PostgreSQL.", format: "int64", minimum: 0)),
        .init("storedBytes", .integer("Bytes written to the repository after compression and encryption.", format: "int64", minimum: 0)),
        .init("durationSeconds", .number("Wall-clock duration of the run in seconds.", minimum: 0)),
        .init("message", .string("What happened, in words a person can act on. For a failure: the error and what to do.")),
        .init("jobName", .string("The Job that ran it; its pod's logs have the details while the Job is kept.")),
        .init("prune", PruneRecord.schema),
    ]

    /// The schema of this type.
    public static func schema(_ description: String) -> SchemaNode {
        .object(description, schemaProperties)
    }
}

/// The outcome of the retention step that follows a backup.
public struct PruneRecord: Codable, Sendable, Hashable {
    /// Whether pruning succeeded.
    public var ok: Bool
    /// Backups deleted.
    public var deleted: Int?
    /// Backups kept.
    public var kept: Int?
    /// Why pruning failed.
    public var error: String?

    /// Creates a record.
    public init(ok: Bool, deleted: Int? = nil, kept: Int? = nil, error: String? = nil) {
        self.ok = ok
        self.deleted = deleted
        self.kept = kept
        self.error = error
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "The retention step after the backup. A failed prune does not fail the backup, but the repository grows until it succeeds.",
        [
            .init("ok", .boolean("Whether pruning succeeded."), required: true),
            .init("deleted", .integer("Backups deleted by retention.", minimum: 0)),
            .init("kept", .integer("Backups kept.", minimum: 0)),
            .init("error", .string("Why pruning failed.")),
        ]
    )
}

/// One entry of `status.recentRuns`: a run record with its kind and outcome.
public struct RecentRun: Codable, Sendable, Hashable {
    /// Backup kind.
    public var kind: BackupKind
    /// Succeeded or Failed.
    public var outcome: RunOutcome
    /// The run's details.
    public var record: RunRecord

    /// Creates an entry.
    public init(kind: BackupKind, outcome: RunOutcome, record: RunRecord) {
        self.kind = kind
        self.outcome = outcome
        self.record = record
    }

    private enum CodingKeys: String, CodingKey { case kind, outcome }

    /// Decodes the flat JSON object: the record's keys plus `kind` and `outcome`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(BackupKind.self, forKey: .kind)
        outcome = try container.decode(RunOutcome.self, forKey: .outcome)
        record = try RunRecord(from: decoder)
    }

    /// Encodes one flat JSON object.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(outcome, forKey: .outcome)
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "One finished run.",
        [
            .init("kind", .string("Backup kind.", enum: BackupKind.allCases.map(\.rawValue)), required: true),
            .init("outcome", .string("How the run ended.", enum: RunOutcome.allCases.map(\.rawValue)), required: true),
        ] + RunRecord.schemaProperties
    )
}
