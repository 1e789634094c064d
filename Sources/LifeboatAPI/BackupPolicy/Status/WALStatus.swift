import KubernetesModels

/// WAL shipping health.
public struct WALStatus: Codable, Sendable, Hashable {
    /// When the newest WAL segment reached the repository (RFC 3339).
    public var lastShipped: String?
    /// Bytes of WAL written by the server but not yet in the repository.
    public var lagBytes: Int64?
    /// What the last check said.
    public var message: String?

    /// Creates a WAL status.
    public init(lastShipped: String? = nil, lagBytes: Int64? = nil, message: String? = nil) {
        self.lastShipped = lastShipped
        self.lagBytes = lagBytes
        self.message = message
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "WAL shipping as last measured by the check run.",
        [
            .init("lastShipped", .dateTime("When the newest WAL segment reached the repository. The recovery point is at most this old.")),
            .init("lagBytes", .integer("Bytes of WAL written by the server but not yet in the repository.", format: "int64", minimum: 0)),
            .init("message", .string("What the last check said about WAL.")),
        ]
    )
}
