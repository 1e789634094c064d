import KubernetesModels

/// The next scheduled time of each kind.
public struct ScheduledRuns: Codable, Sendable, Hashable {
    /// Next logical backup (RFC 3339).
    public var logical: String?
    /// Next base backup (RFC 3339).
    public var base: String?

    /// Creates the pair.
    public init(logical: String? = nil, base: String? = nil) {
        self.logical = logical
        self.base = base
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "When each kind of backup runs next (absent while suspended).",
        [
            .init("logical", .dateTime("Next logical backup.")),
            .init("base", .dateTime("Next base backup.")),
        ]
    )
}
