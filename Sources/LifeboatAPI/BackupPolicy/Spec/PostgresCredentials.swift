import KubernetesModels

/// The Secret holding the PostgreSQL password (and optionally the user name).
public struct PostgresCredentials: Codable, Sendable, Hashable {
    /// The key used for the password when `passwordKey` is not set.
    public static let defaultPasswordKey = "password"

    /// Name of the Secret in the policy's namespace.
    public var name: String
    /// Key holding the password (default `password`).
    public var passwordKey: String?
    /// Key holding the user name; when set it overrides `spec.server.user`.
    public var usernameKey: String?

    /// Creates a credentials reference.
    public init(name: String, passwordKey: String? = nil, usernameKey: String? = nil) {
        self.name = name
        self.passwordKey = passwordKey
        self.usernameKey = usernameKey
    }

    /// `passwordKey`, or its default.
    public var effectivePasswordKey: String { passwordKey ?? Self.defaultPasswordKey }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Secret holding the PostgreSQL credentials. The password reaches the backup pod only as the PGPASSWORD environment variable (secretKeyRef), never in arguments or logs.",
        [
            .init("name", .string("Name of the Secret, in the same namespace as the BackupPolicy.", minLength: 1), required: true),
            .init("passwordKey", .string("Key in the Secret holding the password.", default: defaultPasswordKey, minLength: 1)),
            .init("usernameKey", .string("Key in the Secret holding the user name. When set it takes precedence over spec.server.user.", minLength: 1)),
        ]
    )
}
