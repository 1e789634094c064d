import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KubernetesModels
import Testing
@testable import KubernetesClient

@Suite("In-cluster configuration")
struct InClusterConfigurationTests {
    static func serviceAccountDirectory(token: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-sa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try token.write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try TestCertificates.certificatePEM.write(to: directory.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        try "lifeboat-system\n".write(to: directory.appendingPathComponent("namespace"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test("given the service environment and the mounted ServiceAccount, when loading in-cluster, then https service URL, CA, namespace and token file")
    func inCluster() throws {
        let directory = try Self.serviceAccountDirectory(token: "token-one")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let configuration = try KubernetesClientConfiguration.inCluster(environment: environment, serviceAccountDirectory: directory.path)
        #expect(configuration.server == "https://10.96.0.1:443")
        #expect(configuration.namespace == "lifeboat-system")
        #expect(configuration.tls.certificateAuthorityPEM == Data(TestCertificates.certificatePEM.utf8))
        #expect(configuration.authentication == .bearerTokenFile(path: directory.path + "/token"))

        let ipv6 = try KubernetesClientConfiguration.inCluster(environment: ["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"], serviceAccountDirectory: directory.path)
        #expect(ipv6.server == "https://[fd00::1]:443")
    }

    @Test("given no service environment, when loading in-cluster, then an error saying so")
    func notInCluster() {
        let error = #expect(throws: KubernetesConfigurationError.self) {
            _ = try KubernetesClientConfiguration.inCluster(environment: [:], serviceAccountDirectory: "/nonexistent")
        }
        #expect(error?.message.contains("KUBERNETES_SERVICE_HOST") == true)
    }

    @Test("given a token file that rotates between two requests, when the client sends both, then the second carries the new token")
    func tokenRotation() async throws {
        let directory = try Self.serviceAccountDirectory(token: "token-one\n")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "6443"]
        var configuration = try KubernetesClientConfiguration.inCluster(environment: environment, serviceAccountDirectory: directory.path)
        let exchange = try WireSamples.exchange("14a-cronjob-create-defaults", 2)
        let response = ReplayResponse.captured(try #require(exchange.response))
        try await ReplayServer.with([response, response, response]) { server in
            // The replay server speaks plain HTTP; everything else is the in-cluster configuration.
            configuration.server = server.url
            try await withKubernetesClient(configuration: configuration) { client in
                _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                // The kubelet rotates a projected token by renaming a new file into place.
                try "token-two-rotated\n".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
                _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
            }
            #expect(server.requests.map { $0.header("Authorization") } == ["Bearer token-one", "Bearer token-one", "Bearer token-two-rotated"])
        }
    }
}

@Suite("Choosing a configuration")
struct ConfigurationLoadTests {
    @Test("given no service environment and KUBECONFIG, when load, then the kubeconfig's context is used")
    func loadPrefersKubeconfigOutsideAPod() throws {
        let directory = try KubeconfigTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("config").path
        try KubeconfigTests.twoContexts.write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try KubernetesClientConfiguration.load(environment: ["KUBECONFIG": path], context: "lab")
        #expect(configuration.server == "https://lab.example:6443")
    }

    @Test("given no kubeconfig anywhere, when load, then the error names the file it looked for")
    func loadWithoutAnything() throws {
        let directory = try KubeconfigTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: KubernetesConfigurationError.self) {
            _ = try KubernetesClientConfiguration.load(environment: ["HOME": directory.path])
        }
        #expect(error?.message == "kubeconfig \(directory.path)/.kube/config does not exist or is unreadable")
    }
}

@Suite("Token refresh on 401")
struct UnauthorizedRetryTests {
    @Test("given a token rewritten in place with the same size and modification time, when the server answers 401, then the client re-reads the file and retries once")
    func retryWithReloadedToken() async throws {
        let directory = try InClusterConfigurationTests.serviceAccountDirectory(token: "token-aaaa")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenPath = directory.appendingPathComponent("token").path
        var configuration = try KubernetesClientConfiguration.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "127.0.0.1", "KUBERNETES_SERVICE_PORT": "6443"],
            serviceAccountDirectory: directory.path
        )
        configuration.tokenRefreshInterval = .seconds(3600)
        let unauthorized = ReplayResponse.captured(try #require(try WireSamples.exchange("18-auth-401-403", 5).response))
        let ok = ReplayResponse.captured(try #require(try WireSamples.exchange("14a-cronjob-create-defaults", 2).response))
        try await ReplayServer.with([ok, unauthorized, ok, unauthorized, unauthorized]) { server in
            configuration.server = server.url
            try await withKubernetesClient(configuration: configuration) { client in
                _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                // Rewrite in place: same inode, same length, and the exact old modification time put back.
                var before = stat()
                #expect(stat(tokenPath, &before) == 0)
                let handle = try #require(FileHandle(forWritingAtPath: tokenPath))
                try handle.write(contentsOf: Data("token-bbbb".utf8))
                try handle.close()
                var times = [before.st_atim, before.st_mtim]
                #expect(utimensat(AT_FDCWD, tokenPath, &times, 0) == 0)
                var after = stat()
                #expect(stat(tokenPath, &after) == 0)
                #expect(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec && after.st_ino == before.st_ino)
                let cronJob = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                #expect(cronJob.metadata.name == "defaults-demo")
                // A token the server still refuses is not retried again and again.
                let error = await #expect(throws: KubernetesError.self) { _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo") }
                #expect(error?.isUnauthorized == true)
            }
            #expect(server.requests.map { $0.header("Authorization") } == ["Bearer token-aaaa", "Bearer token-aaaa", "Bearer token-bbbb", "Bearer token-bbbb"])
        }
    }
}
