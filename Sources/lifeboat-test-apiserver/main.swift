import Foundation
import KubernetesTestServer

// The test Kubernetes API server in a process of its own, for benchmarks and for trying `lifeboat-controller`
// by hand: `lifeboat-test-apiserver [port]` prints the kubeconfig path and serves until SIGTERM/SIGINT.

let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 0
let server = try await KubernetesTestServer.start(port: port)
server.register(ResourceDefinition(group: "lifeboat.dev", version: "v1alpha1", kind: "BackupPolicy", plural: "backuppolicies"))
let kubeconfig = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-test-apiserver-\(server.port).kubeconfig").path
try server.kubeconfig()
    .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
print("serving \(server.baseURL)")
print("kubeconfig \(kubeconfig)")
fflush(stdout)

signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
let stop = AsyncStream<Void> { continuation in
    for signalNumber in [SIGTERM, SIGINT] {
        let source = DispatchSource.makeSignalSource(signal: signalNumber)
        source.setEventHandler { continuation.finish() }
        source.resume()
        continuation.onTermination = { _ in source.cancel() }
    }
}
for await _ in stop {}
try await server.shutdown()
try? FileManager.default.removeItem(atPath: kubeconfig)
