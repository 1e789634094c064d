import Foundation
import Testing
@testable import KubernetesClient

@Suite("Kubeconfig parsing")
struct KubeconfigTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-kubeconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let twoContexts = """
    apiVersion: v1
    kind: Config
    current-context: dev
    clusters:
    - name: dev-cluster
      cluster:
        server: https://127.0.0.1:6443
        certificate-authority-data: \(TestCertificates.certificateBase64)
    - name: lab-cluster
      cluster:
        server: https://lab.example:6443
        insecure-skip-tls-verify: true
    users:
    - name: dev-admin
      user:
        client-certificate-data: \(TestCertificates.certificateBase64)
        client-key-data: \(TestCertificates.keyBase64)
    - name: lab-robot
      user:
        token: s3cr3t-token-value
    contexts:
    - name: dev
      context:
        cluster: dev-cluster
        user: dev-admin
        namespace: backups
    - name: lab
      context:
        cluster: lab-cluster
        user: lab-robot
    """

    @Test("given a kubeconfig, when loading the current context, then server, CA data, client certificate and namespace are taken")
    func currentContextWithClientCertificate() throws {
        let configuration = try KubernetesClientConfiguration.kubeconfig(yaml: Self.twoContexts)
        #expect(configuration.server == "https://127.0.0.1:6443")
        #expect(configuration.namespace == "backups")
        #expect(configuration.tls.certificateAuthorityPEM == Data(TestCertificates.certificatePEM.utf8))
        #expect(configuration.tls.clientCertificatePEM == Data(TestCertificates.certificatePEM.utf8))
        #expect(configuration.tls.clientKeyPEM == Data(TestCertificates.keyPEM.utf8))
        #expect(configuration.tls.insecureSkipVerify == false)
        #expect(configuration.authentication == .none)
        // The PEM material is usable for TLS.
        _ = try KubernetesClient.makeTLSConfiguration(configuration.tls)
    }

    @Test("given a kubeconfig, when loading a named context, then its token and insecure flag are taken and the namespace defaults")
    func namedContextWithToken() throws {
        let configuration = try KubernetesClientConfiguration.kubeconfig(yaml: Self.twoContexts, context: "lab")
        #expect(configuration.server == "https://lab.example:6443")
        #expect(configuration.tls.insecureSkipVerify)
        #expect(configuration.tls.certificateAuthorityPEM == nil)
        #expect(configuration.authentication == .bearerToken("s3cr3t-token-value"))
        #expect(configuration.namespace == "default")
        // Credentials never show up in descriptions (which may be logged).
        #expect(!configuration.description.contains("s3cr3t"))
        #expect(!"\(configuration.authentication)".contains("s3cr3t"))
    }

    @Test("given a kubeconfig without the named context, when loading, then the error names the file, the context and the known ones")
    func missingContext() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("config").path
        try Self.twoContexts.write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: KubernetesConfigurationError.self) {
            _ = try KubernetesClientConfiguration.kubeconfig(path: path, context: "prod")
        }
        #expect(error?.message == "kubeconfig \(path) has no context named \"prod\" (contexts: dev, lab)")
    }

    @Test("given file references relative to the kubeconfig, when loading via KUBECONFIG, then CA, certificate, key and tokenFile resolve beside it")
    func relativeFilesAndKubeconfigVariable() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("pki"), withIntermediateDirectories: true)
        try TestCertificates.certificatePEM.write(to: directory.appendingPathComponent("pki/ca.crt"), atomically: true, encoding: .utf8)
        try TestCertificates.certificatePEM.write(to: directory.appendingPathComponent("pki/client.crt"), atomically: true, encoding: .utf8)
        try TestCertificates.keyPEM.write(to: directory.appendingPathComponent("pki/client.key"), atomically: true, encoding: .utf8)
        let yaml = """
        apiVersion: v1
        kind: Config
        current-context: local
        clusters:
        - name: local
          cluster:
            server: http://127.0.0.1:8080
            certificate-authority: pki/ca.crt
        users:
        - name: me
          user:
            client-certificate: pki/client.crt
            client-key: pki/client.key
            tokenFile: token
        contexts:
        - name: local
          context: {cluster: local, user: me, namespace: lab}
        """
        let path = directory.appendingPathComponent("kubeconfig.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let environment = ["KUBECONFIG": "/nonexistent/kubeconfig:\(path)", "HOME": directory.path]
        let configuration = try KubernetesClientConfiguration.kubeconfig(environment: environment)
        #expect(configuration.server == "http://127.0.0.1:8080")
        #expect(configuration.namespace == "lab")
        #expect(configuration.tls.certificateAuthorityPEM == Data(TestCertificates.certificatePEM.utf8))
        #expect(configuration.tls.clientKeyPEM == Data(TestCertificates.keyPEM.utf8))
        #expect(configuration.authentication == .bearerTokenFile(path: directory.path + "/token"))
    }

    @Test("given broken kubeconfigs, when loading, then each error says what to fix", arguments: [
        ("current-context: x\ncontexts: []\nclusters: []\n", "has no context named \"x\""),
        ("contexts:\n- name: a\n  context: {cluster: nowhere}\n", "has no current-context"),
        ("current-context: a\ncontexts:\n- name: a\n  context: {cluster: nowhere}\n", "refers to cluster \"nowhere\", which is not defined"),
        ("current-context: a\nclusters:\n- name: c\n  cluster: {server: https://x}\ncontexts:\n- name: a\n  context: {cluster: c, user: ghost}\n", "refers to user \"ghost\""),
        ("current-context: a\nclusters:\n- name: c\n  cluster: {server: https://x}\nusers:\n- name: u\n  user:\n    exec: {command: aws}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n", "exec or auth-provider plugin"),
        ("current-context: a\nclusters:\n- name: c\n  cluster: {server: https://x, certificate-authority: /nonexistent/ca.crt}\ncontexts:\n- name: a\n  context: {cluster: c}\n", "/nonexistent/ca.crt does not exist"),
        ("current-context: a\nclusters:\n- name: c\n  cluster: {}\ncontexts:\n- name: a\n  context: {cluster: c}\n", "cluster \"c\" has no server"),
    ])
    func brokenKubeconfigs(yaml: String, expected: String) {
        let error = #expect(throws: KubernetesConfigurationError.self) {
            _ = try KubernetesClientConfiguration.kubeconfig(yaml: yaml, source: "test.yaml")
        }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.message.contains("test.yaml") == true)
    }

    @Test("given a client key that is not PEM, when creating the client, then a configuration error that does not echo the key")
    func invalidKey() {
        let tls = KubernetesClientConfiguration.TLS(clientCertificatePEM: Data(TestCertificates.certificatePEM.utf8), clientKeyPEM: Data("not-a-key-SECRETBYTES".utf8))
        let error = #expect(throws: KubernetesError.self) {
            _ = try KubernetesClient.makeTLSConfiguration(tls)
        }
        #expect(error?.code == .configuration)
        #expect(error?.description.contains("SECRETBYTES") == false)
    }
}
