import Foundation
import Testing
@testable import KubernetesTestServer

/// Certificates made with the openssl command line: a CA, a server certificate for 127.0.0.1, a client certificate.
struct TestCertificates {
    let directory: URL
    func pem(_ name: String) throws -> String { try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) }

    static func make() throws -> TestCertificates {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k8s-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = """
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 -subj /CN=test-ca 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 1 -extfile san.ext 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/O=system:masters/CN=admin" 2>/dev/null
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 1 2>/dev/null
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw WorkloadSimulationError(description: "openssl could not create test certificates in \(dir.path)")
        }
        return TestCertificates(directory: dir)
    }

    func configure(_ client: inout WireClient, trustCA: Bool, clientCertificate: Bool) throws {
        client.tls = try WireClient.tlsContext(caPEM: trustCA ? try pem("ca.crt") : nil,
                                               certificatePEM: clientCertificate ? try pem("client.crt") : nil,
                                               keyPEM: clientCertificate ? try pem("client.key") : nil)
    }
}

@Suite("HTTPS")
struct TLSTests {
    @Test("given TLS settings, then the server speaks HTTPS that verifies against its CA and refuses untrusting clients")
    func givenTLS_thenHTTPSWithCA() async throws {
        let certs = try TestCertificates.make()
        let tls = KubernetesTestServer.TLS(certificateChainPEM: try certs.pem("server.crt"), privateKeyPEM: try certs.pem("server.key"))
        let server = try await KubernetesTestServer.start(options: .init(tls: tls))
        defer { try? FileManager.default.removeItem(at: certs.directory) }
        do {
            #expect(server.baseURL == "https://127.0.0.1:\(server.port)")
            var client = WireClient(port: server.port)
            try certs.configure(&client, trustCA: true, clientCertificate: false)
            let r = try await client.send("GET", "/api/v1/namespaces/default")
            #expect(r.status == 200 && r["metadata", "name"] == "default")
            var untrusting = WireClient(port: server.port)
            try certs.configure(&untrusting, trustCA: false, clientCertificate: false)
            await #expect(throws: (any Error).self) { _ = try await untrusting.send("GET", "/api/v1/namespaces/default") }
            var plain = WireClient(port: server.port)
            plain.tls = nil
            await #expect(throws: (any Error).self) { _ = try await plain.send("GET", "/api/v1/namespaces/default") }
        } catch {
            Issue.record(error)
        }
        try await server.shutdown()
    }

    @Test("given a client CA, then only clients with a certificate it signed get in, and they need no bearer token")
    func givenClientCA_thenClientCertificatesRequired() async throws {
        let certs = try TestCertificates.make()
        let tls = KubernetesTestServer.TLS(certificateChainPEM: try certs.pem("server.crt"), privateKeyPEM: try certs.pem("server.key"),
                                           clientCAPEM: try certs.pem("ca.crt"))
        let server = try await KubernetesTestServer.start(options: .init(bearerToken: "s3cret", tls: tls))
        defer { try? FileManager.default.removeItem(at: certs.directory) }
        do {
            var withCert = WireClient(port: server.port)
            try certs.configure(&withCert, trustCA: true, clientCertificate: true)
            #expect(try await withCert.send("GET", "/api/v1/namespaces/default").status == 200)
            var without = WireClient(port: server.port)
            try certs.configure(&without, trustCA: true, clientCertificate: false)
            await #expect(throws: (any Error).self) { _ = try await without.send("GET", "/api/v1/namespaces/default") }
        } catch {
            Issue.record(error)
        }
        try await server.shutdown()
    }
}
