import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import Logging

/// A `v1 ConfigMap`, the simplest namespaced object the test API server stores: the informer
/// tests use it so that nothing but the cache logic is under test.
struct ConfigMap: KubernetesResource {
    static let descriptor = ResourceDescriptor(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var data: [String: String]?

    init(namespace: String = "default", name: String, labels: [String: String]? = nil, data: [String: String]? = nil) {
        apiVersion = "v1"
        kind = "ConfigMap"
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        self.data = data
    }
}

/// Starts a test API server on a free port and a client pointed at it; stops both afterwards.
func withTestAPI<T>(
    bookmarkInterval: Double = 60,
    requestTimeout: Duration = .seconds(10),
    _ body: (KubernetesTestServer, KubernetesClient) async throws -> T
) async throws -> T {
    let server = try await KubernetesTestServer.start(options: .init(bookmarkInterval: bookmarkInterval))
    let client: KubernetesClient
    do {
        client = try KubernetesClient(configuration: KubernetesClientConfiguration(
            server: server.baseURL, connectTimeout: .seconds(2), requestTimeout: requestTimeout))
    } catch {
        try? await server.shutdown()
        throw error
    }
    do {
        let result = try await body(server, client)
        try? await client.shutdown()
        try? await server.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        try? await server.shutdown()
        throw error
    }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; answers whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// Runs `operation`, retrying up to 20 times (20 ms apart) while it fails with a transport error.
func retryingTransportErrors<T>(_ operation: () async throws -> T) async throws -> T {
    for _ in 0..<20 {
        do {
            return try await operation()
        } catch let error as KubernetesError where error.code == .transport {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
    return try await operation()
}

/// A logger that prints nothing (the tests assert on behaviour, not on log lines).
let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
