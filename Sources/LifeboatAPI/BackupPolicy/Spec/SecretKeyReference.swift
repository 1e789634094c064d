import KubernetesModels

/// A key in a Secret in the policy's namespace.
public struct SecretKeyReference: Codable, Sendable, Hashable {
    /// Name of the Secret in the policy's namespace.
    public var name: String
    /// Key inside the Secret's `data`.
    public var key: String

    /// Creates a selector.
    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }

    /// The schema of a Secret key reference described by `description`.
    public static func schema(_ description: String) -> SchemaNode {
        .object(description, [
            .init("name", .string("Name of the Secret, in the same namespace as the BackupPolicy.", minLength: 1), required: true),
            .init("key", .string("Key inside the Secret's data whose value is used.", minLength: 1), required: true),
        ])
    }
}
