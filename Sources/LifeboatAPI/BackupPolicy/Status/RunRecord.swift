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
