import NIOSSL

extension KubernetesTestServer {
    /// HTTPS for the test server, so clients can test CA bundles, client certificates and skip-verify against it.
    public struct TLS: Sendable {
        /// The server's certificate chain, PEM (leaf first). Its SAN must name the address the client dials.
        public var certificateChainPEM: String
        /// The server's private key, PEM.
        public var privateKeyPEM: String
        /// When set, clients must present a certificate signed by one of these CAs (PEM), as with the real
        /// server's `--client-ca-file`; such a client is authenticated even without a bearer token.
        public var clientCAPEM: String?

        /// Creates TLS settings from PEM text.
        public init(certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String? = nil) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.clientCAPEM = clientCAPEM
        }

        func makeContext() throws -> NIOSSLContext {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8)).map(NIOSSLCertificateSource.certificate)
            let key = NIOSSLPrivateKeySource.privateKey(try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem))
            let configuration: TLSConfiguration
            if let clientCAPEM {
                let roots = try NIOSSLCertificate.fromPEMBytes(Array(clientCAPEM.utf8))
                configuration = .makeServerConfigurationWithMTLS(certificateChain: chain, privateKey: key,
                                                                 trustRoots: .certificates(roots))
            } else {
                configuration = .makeServerConfiguration(certificateChain: chain, privateKey: key)
            }
            return try NIOSSLContext(configuration: configuration)
        }
    }
}
