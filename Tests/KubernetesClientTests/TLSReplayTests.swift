import Foundation
import KubernetesModels
import NIOSSL
import Testing
@testable import KubernetesClient

/// The client's TLS settings from a kubeconfig against an HTTPS server that requires a client certificate.
@Suite("KubernetesClient over mutual TLS")
struct TLSReplayTests {
    /// A server presenting the test certificate (SAN 127.0.0.1) and requiring a client certificate signed by it.
    static func serverTLS() throws -> TLSConfiguration {
        let certificate = try NIOSSLCertificate(bytes: Array(TestCertificates.certificatePEM.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificates.keyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates([certificate])
        return tls
    }

    static func kubeconfig(server: String, caData: Bool, clientCertificate: Bool, insecure: Bool) -> String {
        var cluster = "    server: \(server)\n"
        if caData { cluster += "    certificate-authority-data: \(TestCertificates.certificateBase64)\n" }
        if insecure { cluster += "    insecure-skip-tls-verify: true\n" }
        var user = "    token: unused-with-certificates\n"
        if clientCertificate {
            user = "    client-certificate-data: \(TestCertificates.certificateBase64)\n    client-key-data: \(TestCertificates.keyBase64)\n"
        }
        return """
        current-context: tls
        clusters:
        - name: tls
          cluster:
        \(cluster)users:
        - name: tls
          user:
        \(user)contexts:
        - name: tls
          context: {cluster: tls, user: tls, namespace: demo}
        """
    }

    @Test("given kubeconfig TLS settings, when getting over HTTPS, then only a verified server and a presented client certificate succeed", arguments: [
        (true, true, false, true),    // CA data + client certificate: verified both ways
        (false, true, true, true),    // insecure-skip-tls-verify + client certificate
        (false, true, false, false),  // system roots do not trust the test CA
        (true, false, false, false),  // no client certificate: the server refuses the handshake
    ])
    func mutualTLS(caData: Bool, clientCertificate: Bool, insecure: Bool, succeeds: Bool) async throws {
        let exchange = try WireSamples.exchange("14a-cronjob-create-defaults", 2)
        let response = ReplayResponse.captured(try #require(exchange.response))
        try await ReplayServer.with([response], tls: try Self.serverTLS()) { server in
            let yaml = Self.kubeconfig(server: server.url, caData: caData, clientCertificate: clientCertificate, insecure: insecure)
            var configuration = try KubernetesClientConfiguration.kubeconfig(yaml: yaml)
            // AsyncHTTPClient retries failed handshakes until the connect timeout: keep failures quick.
            configuration.connectTimeout = .seconds(2)
            #expect(configuration.server.hasPrefix("https://127.0.0.1:"))
            try await withKubernetesClient(configuration: configuration) { client in
                if succeeds {
                    let cronJob = try await client.get(CronJob.self, name: "defaults-demo", namespace: configuration.namespace)
                    #expect(cronJob.metadata.name == "defaults-demo")
                    #expect(server.requests.count == 1)
                } else {
                    let error = await #expect(throws: KubernetesError.self) {
                        _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: configuration.namespace)
                    }
                    #expect(error?.code == .transport)
                    #expect(error?.message.contains(server.url) == true)
                    #expect(server.requests.isEmpty)
                }
            }
        }
    }
}
