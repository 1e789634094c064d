import KubernetesModels

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
