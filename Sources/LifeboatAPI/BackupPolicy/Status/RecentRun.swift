import KubernetesModels

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
