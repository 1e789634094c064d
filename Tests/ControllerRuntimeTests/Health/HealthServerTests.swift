import AsyncHTTPClient
import KubernetesClient
import KubernetesModels
import Prometheus
import ServiceLifecycle
import Testing
@testable import ControllerRuntime

@Suite(.timeLimit(.minutes(1))) struct HealthServerTests {
    func get(_ port: Int, _ path: String) async throws -> (Int, String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(decoding: body.readableBytesView, as: UTF8.self))
    }

    @Test func givenAControllerBehindTheHealthServer_whenItReconciles_thenHealthzReadyzAndMetricsAnswer() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "watched"))
            let registry = PrometheusCollectorRegistry()
            let informer = Informer(ConfigMap.self, client: client, namespace: "default", logger: quietLogger)
            let elector = LeaderElector(client: client, configuration: LeaderElectionConfiguration(
                leaseName: "health-test", namespace: "default", identity: "me",
                leaseDuration: .seconds(2), renewDeadline: .seconds(1), retryPeriod: .milliseconds(100)), logger: quietLogger)
            let reconciler = ScriptedReconciler([.fail, .done])
            let controller = Controller(
                name: "health", informer: informer, reconciler: reconciler,
                backoff: ExponentialBackoff(base: .milliseconds(10), cap: .seconds(1)), resyncPeriod: nil,
                leaderElector: elector, metricsFactory: PrometheusMetricsFactory(registry: registry), logger: quietLogger)
            let (ports, portContinuation) = AsyncStream<Int>.makeStream()
            let health = HealthServer(
                host: "127.0.0.1", port: 0, registry: registry,
                readinessChecks: [.synced(informer)], leaderElector: elector, logger: quietLogger,
                onServerRunning: { port in portContinuation.yield(port) })

            // The informer is not in the group yet: /readyz must say "not ready" first.
            let group = ServiceGroup(services: [health, elector, controller], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = ports.makeAsyncIterator()
                let firstPort = await iterator.next()
                let port = try #require(firstPort)

                let (healthCode, healthBody) = try await get(port, "/healthz")
                #expect(healthCode == 200)
                #expect(healthBody == "ok\n")
                let (notReadyCode, notReadyBody) = try await get(port, "/readyz")
                #expect(notReadyCode == 503)
                #expect(notReadyBody.contains("[-]informer configmaps not ready"))

                tasks.addTask { try await informer.run() }
                #expect(await eventually { await reconciler.callCount == 2 })
                let (readyCode, readyBody) = try await get(port, "/readyz")
                #expect(readyCode == 200)
                #expect(readyBody.contains("[+]informer configmaps ok"))
                #expect(readyBody.contains("leader-election leader (me)"))

                let (metricsCode, metrics) = try await get(port, "/metrics")
                #expect(metricsCode == 200)
                #expect(metrics.contains(#"lifeboat_reconcile_total{controller="health"} 2"#))
                #expect(metrics.contains(#"lifeboat_reconcile_errors_total{controller="health"} 1"#))
                #expect(metrics.contains(#"lifeboat_reconcile_duration_seconds_count{controller="health"} 2"#))
                #expect(metrics.contains(#"lifeboat_workqueue_depth{controller="health"} 0"#))

                await group.triggerGracefulShutdown()
                tasks.cancelAll()
                try? await tasks.waitForAll()
            }
            // Gracefully stopped: the port no longer answers.
        }
    }
}
