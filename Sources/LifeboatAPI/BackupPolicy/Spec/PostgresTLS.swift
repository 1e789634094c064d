import KubernetesModels

/// libpq `sslmode` values, weakest to strongest.
public enum SSLMode: String, Codable, Sendable, Hashable, CaseIterable {
    /// No TLS.
    case disable
    /// TLS only if the server insists.
    case allow
    /// TLS when the server offers it, without verification.
    case prefer
    /// TLS always, without verifying the server.
    case require
    /// TLS with the certificate chain verified against the CA.
    case verifyCA = "verify-ca"
    /// TLS with the chain and the host name verified (the default).
    case verifyFull = "verify-full"

    /// Whether the mode checks the server certificate against a CA (and so needs one).
    public var verifiesServer: Bool { self == .verifyCA || self == .verifyFull }
}

/// TLS between the backup pods and PostgreSQL.
public struct PostgresTLS: Codable, Sendable, Hashable {
    /// The mode used when none is written: the server's identity is always verified unless a weaker mode is chosen explicitly.
    public static let defaultSSLMode = SSLMode.verifyFull

    /// libpq `sslmode` (default `verify-full`).
    public var sslMode: SSLMode?
    /// CA bundle that signed the server certificate.
    public var caSecret: SecretKeyReference?
    /// Client certificate and key for certificate authentication.
    public var clientCertSecret: ClientCertificateSecret?

    /// Creates TLS settings.
    public init(sslMode: SSLMode? = nil, caSecret: SecretKeyReference? = nil, clientCertSecret: ClientCertificateSecret? = nil) {
        self.sslMode = sslMode
        self.caSecret = caSecret
        self.clientCertSecret = clientCertSecret
    }

    /// `sslMode`, or its default.
    public var effectiveSSLMode: SSLMode { sslMode ?? Self.defaultSSLMode }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "TLS to PostgreSQL. Without this section the backup pods use sslmode verify-full, which needs caSecret.",
        [
            .init("sslMode", .string(
                "libpq sslmode. verify-full (the default) checks the certificate chain and the host name; weaker modes must be written explicitly and expose the connection to interception.",
                enum: SSLMode.allCases.map(\.rawValue), default: defaultSSLMode.rawValue
            )),
            .init("caSecret", SecretKeyReference.schema("Secret key holding the PEM CA bundle that signed the server certificate; mounted as PGSSLROOTCERT. Required for verify-ca and verify-full.")),
            .init("clientCertSecret", ClientCertificateSecret.schema),
        ]
    )
}
