import KubernetesModels

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
