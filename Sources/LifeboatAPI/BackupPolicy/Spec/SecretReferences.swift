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

/// A Secret holding a TLS client certificate and its private key.
public struct ClientCertificateSecret: Codable, Sendable, Hashable {
    /// The certificate key used when `certKey` is not set.
    public static let defaultCertKey = "tls.crt"
    /// The private key's key used when `keyKey` is not set.
    public static let defaultKeyKey = "tls.key"

    /// Name of the Secret in the policy's namespace.
    public var name: String
    /// Key holding the PEM certificate (default `tls.crt`).
    public var certKey: String?
    /// Key holding the PEM private key (default `tls.key`).
    public var keyKey: String?

    /// Creates a reference.
    public init(name: String, certKey: String? = nil, keyKey: String? = nil) {
        self.name = name
        self.certKey = certKey
        self.keyKey = keyKey
    }

    /// `certKey`, or its default.
    public var effectiveCertKey: String { certKey ?? Self.defaultCertKey }
    /// `keyKey`, or its default.
    public var effectiveKeyKey: String { keyKey ?? Self.defaultKeyKey }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Secret holding a client certificate for PostgreSQL certificate authentication (a kubernetes.io/tls Secret works as is). Mounted read-only into the backup pod as PGSSLCERT and PGSSLKEY.",
        [
            .init("name", .string("Name of the Secret, in the same namespace as the BackupPolicy.", minLength: 1), required: true),
            .init("certKey", .string("Key in the Secret holding the PEM client certificate.", default: defaultCertKey, minLength: 1)),
            .init("keyKey", .string("Key in the Secret holding the PEM private key of the client certificate.", default: defaultKeyKey, minLength: 1)),
        ]
    )
}
