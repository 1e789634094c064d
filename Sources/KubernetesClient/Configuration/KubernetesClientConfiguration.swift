import Foundation

/// Everything the client needs to reach one API server: where, how to trust it, who we are.
///
/// Build one with `inCluster()` inside a pod, `kubeconfig(path:context:)` outside, or `load()`
/// to pick whichever applies. Plain `http://` servers are allowed (the test API server).
/// Credentials are never part of `description`, so a configuration can be logged safely.
public struct KubernetesClientConfiguration: Sendable, CustomStringConvertible {
    /// The `User-Agent` sent when none is configured.
    public static let defaultUserAgent = "lifeboat-controller/0.1.0"
    /// The `fieldManager` sent on writes when none is configured.
    public static let defaultFieldManager = "lifeboat-controller"

    /// Base URL of the API server, e.g. `https://10.96.0.1:443` or `http://127.0.0.1:8080`.
    /// A path prefix (for API proxies) is kept.
    public var server: String
    /// How the server's certificate is checked and which client certificate is shown.
    public var tls: TLS
    /// How requests authenticate.
    public var authentication: Authentication
    /// The namespace of the context or of the pod's ServiceAccount, for callers that want a default.
    public var namespace: String
    /// `User-Agent` of every request, `lifeboat-controller/<version>`.
    public var userAgent: String
    /// `fieldManager` of every write (create, replace, patch, apply).
    public var fieldManager: String
    /// How long to wait for a TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// Deadline for a whole non-watch request. Watches are bounded by their `timeoutSeconds` instead.
    public var requestTimeout: Duration
    /// A token file is re-read when its modification time, size or inode changes, and at least this often.
    public var tokenRefreshInterval: Duration
    /// HTTP/1.1 connections to the server at once. Every open watch holds one for its whole
    /// life, so this must exceed the number of watches (AsyncHTTPClient's default of 8 does not).
    public var maxConnections: Int
    /// Whether responses and watch events decode `metadata.managedFields`. A controller that never reads them sets
    /// this to false: they are as large as the fields they describe, so decoding them costs about as much again.
    public var decodesManagedFields: Bool

    /// TLS settings. PEM bytes are kept, not paths, so a configuration is self-contained.
    public struct TLS: Sendable, Hashable {
        /// PEM bundle of CAs to trust instead of the system roots; nil means the system roots.
        public var certificateAuthorityPEM: Data?
        /// Skip server certificate verification (kubeconfig `insecure-skip-tls-verify`).
        public var insecureSkipVerify: Bool
        /// PEM client certificate (chain) for mutual TLS.
        public var clientCertificatePEM: Data?
        /// PEM private key of the client certificate.
        public var clientKeyPEM: Data?

        /// Creates TLS settings.
        public init(certificateAuthorityPEM: Data? = nil, insecureSkipVerify: Bool = false, clientCertificatePEM: Data? = nil, clientKeyPEM: Data? = nil) {
            self.certificateAuthorityPEM = certificateAuthorityPEM
            self.insecureSkipVerify = insecureSkipVerify
            self.clientCertificatePEM = clientCertificatePEM
            self.clientKeyPEM = clientKeyPEM
        }
    }

    /// How requests authenticate. Its description never contains the secret.
    public enum Authentication: Sendable, Hashable, CustomStringConvertible {
        /// No `Authorization` header (client certificates, or anonymous).
        case none
        /// A fixed bearer token.
        case bearerToken(String)
        /// A bearer token read from a file and re-read when the file changes (projected ServiceAccount tokens rotate).
        case bearerTokenFile(path: String)
        /// HTTP basic authentication (legacy kubeconfig `username`/`password`).
        case basic(username: String, password: String)

        /// A redacted description, safe to log.
        public var description: String {
            switch self {
            case .none: "none"
            case .bearerToken: "bearer token (redacted)"
            case .bearerTokenFile(let path): "bearer token file \(path)"
            case .basic(let username, _): "basic auth as \(username) (password redacted)"
            }
        }
    }

    /// Creates a configuration.
    public init(
        server: String,
        tls: TLS = TLS(),
        authentication: Authentication = .none,
        namespace: String = "default",
        userAgent: String = KubernetesClientConfiguration.defaultUserAgent,
        fieldManager: String = KubernetesClientConfiguration.defaultFieldManager,
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60),
        tokenRefreshInterval: Duration = .seconds(60),
        maxConnections: Int = 64,
        decodesManagedFields: Bool = true
    ) {
        self.server = server
        self.tls = tls
        self.authentication = authentication
        self.namespace = namespace
        self.userAgent = userAgent
        self.fieldManager = fieldManager
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.tokenRefreshInterval = tokenRefreshInterval
        self.maxConnections = maxConnections
        self.decodesManagedFields = decodesManagedFields
    }

    /// A one-line summary without secrets.
    public var description: String {
        var parts = ["server \(server)", "namespace \(namespace)", "auth \(authentication)"]
        if tls.certificateAuthorityPEM != nil { parts.append("custom CA") }
        if tls.insecureSkipVerify { parts.append("insecure-skip-tls-verify") }
        if tls.clientCertificatePEM != nil { parts.append("client certificate") }
        return parts.joined(separator: ", ")
    }

    /// In-cluster if the process runs in a pod (`KUBERNETES_SERVICE_HOST` set, a ServiceAccount
    /// token mounted, and no `KUBECONFIG` set), otherwise the kubeconfig (`KUBECONFIG` or `~/.kube/config`).
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        context: String? = nil
    ) throws(KubernetesConfigurationError) -> KubernetesClientConfiguration {
        if environment["KUBERNETES_SERVICE_HOST"] != nil,
           FileManager.default.fileExists(atPath: InCluster.defaultDirectory + "/token"),
           environment["KUBECONFIG"] == nil {
            return try inCluster(environment: environment)
        }
        return try kubeconfig(path: nil, context: context, environment: environment)
    }
}
