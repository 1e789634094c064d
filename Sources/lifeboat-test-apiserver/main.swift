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
FileHandle.standardOutput.write(Data("serving \(server.baseURL)\nkubeconfig \(kubeconfig)\n".utf8))

// Serve until SIGTERM or SIGINT.
let stopped = DispatchSemaphore(value: 0)
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
nonisolated(unsafe) let signalSources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
    source.setEventHandler { stopped.signal() }
    source.resume()
    return source
}
await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
    DispatchQueue.global().async {
        stopped.wait()
        continuation.resume()
    }
}
signalSources.forEach { $0.cancel() }
try await server.shutdown()
try? FileManager.default.removeItem(atPath: kubeconfig)
