import AsyncHTTPClient
import Foundation
import KubernetesModels
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// A typed REST client for the Kubernetes API over AsyncHTTPClient.
///
/// One instance per API server; it is `Sendable` and meant to be shared. Call `shutdown()` when
/// done (or use `withKubernetesClient(configuration:logger:_:)`), as AsyncHTTPClient requires.
///
/// Every request sends `Accept: application/json` and the configured `User-Agent`; every write
/// (create, replace, patch, apply) sends the configured `fieldManager`. Errors are
/// `KubernetesError`s carrying the server's `Status`.
///
/// List, then watch from the list's resourceVersion, and list again on 410:
///
/// ```swift
/// let list = try await client.listAll(Job.self, namespace: nil, labelSelector: "lifeboat.dev/policy")
/// var resourceVersion = list.metadata?.resourceVersion
/// do {
///     for try await update in client.watch(Job.self, options: WatchOptions(resourceVersion: resourceVersion)) {
///         resourceVersion = update.resourceVersion ?? resourceVersion
///         // handle .added / .modified / .deleted; .bookmark only moves resourceVersion
///     }
///     // the server ended the stream (timeoutSeconds): watch again from resourceVersion
/// } catch let error as KubernetesError where error.isGone {
///     // too old: list again
/// }
/// ```
public final class KubernetesClient: Sendable {
    /// The configuration in use.
    public let configuration: KubernetesClientConfiguration
    let httpClient: HTTPClient
    let baseURL: String
    let tokenSource: TokenFileSource?
    let logger: Logger

    /// Creates a client. Fails when the TLS material (CA, client certificate or key) is not valid PEM.
    ///
    /// - Parameters:
    ///   - configuration: where and how to connect.
    ///   - logger: receives debug lines for requests (method, path, code; never credentials).
    ///   - eventLoopGroup: the NIO event loops to use.
    public init(
        configuration: KubernetesClientConfiguration,
        logger: Logger = Logger(label: "lifeboat.kubernetes-client"),
        eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup
    ) throws {
        self.configuration = configuration
        self.logger = logger
        var base = configuration.server
        while base.hasSuffix("/") { base.removeLast() }
        guard base.hasPrefix("https://") || base.hasPrefix("http://"), URL(string: base)?.host != nil else {
            throw KubernetesError(code: .configuration, message: "API server URL \"\(configuration.server)\" is not an http:// or https:// URL with a host")
        }
        self.baseURL = base
        if case .bearerTokenFile(let path) = configuration.authentication {
            tokenSource = TokenFileSource(path: path, refreshInterval: configuration.tokenRefreshInterval)
        } else {
            tokenSource = nil
        }
        var httpConfiguration = HTTPClient.Configuration(
            tlsConfiguration: try Self.makeTLSConfiguration(configuration.tls),
            timeout: .init(connect: TimeAmount(configuration.connectTimeout), read: nil),
            // Watches hold a connection each for minutes; the default pool of 8 would starve every other request.
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(configuration.maxConnections, 1)),
            proxy: nil
        )
        // The API server never redirects API calls; following one could leak the token elsewhere.
        httpConfiguration.redirectConfiguration = .disallow
        httpConfiguration.decompression = .disabled
        httpClient = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: httpConfiguration)
    }

    /// Closes the connections. Required before the client is released.
    public func shutdown() async throws {
        try await httpClient.shutdown()
    }

    static func makeTLSConfiguration(_ settings: KubernetesClientConfiguration.TLS) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = settings.certificateAuthorityPEM {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(ca)))
            }
        } catch {
            throw KubernetesError(code: .configuration, message: "the certificate authority bundle is not valid PEM", underlying: error)
        }
        if settings.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let certificate = settings.clientCertificatePEM, let key = settings.clientKeyPEM {
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate)).map { .certificate($0) }
            } catch {
                throw KubernetesError(code: .configuration, message: "the client certificate is not valid PEM", underlying: error)
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key), format: .pem))
            } catch {
                // Never echo the key material.
                throw KubernetesError(code: .configuration, message: "the client key is not a valid PEM private key")
            }
        }
        return tls
    }
}

/// Runs `body` with a client and shuts the client down afterwards, also when `body` throws.
public func withKubernetesClient<Result>(
    configuration: KubernetesClientConfiguration,
    logger: Logger = Logger(label: "lifeboat.kubernetes-client"),
    _ body: (KubernetesClient) async throws -> Result
) async throws -> Result {
    let client = try KubernetesClient(configuration: configuration, logger: logger)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}

extension TimeAmount {
    /// The same span as a Swift `Duration`, at nanosecond precision.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
