import KubernetesClient
import KubernetesModels
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Testing
@testable import ControllerRuntime

@Suite(.timeLimit(.minutes(1))) struct ControllerTests {
    /// Runs an informer and a controller in a ServiceGroup while `body` runs, then shuts them down gracefully.
    func runningController<T: Sendable>(
        client: KubernetesClient,
        reconciler: ScriptedReconciler,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        resyncPeriod: Duration? = nil,
        _ body: (Controller<ConfigMap>) async throws -> T
    ) async throws -> T {
        let informer = Informer(ConfigMap.self, client: client, namespace: "default", logger: quietLogger)
        let controller = Controller(
            name: "configmaps", informer: informer, reconciler: reconciler,
            backoff: ExponentialBackoff(base: .milliseconds(40), cap: .seconds(5)),
            resyncPeriod: resyncPeriod, conflictDelay: .milliseconds(30),
            metricsFactory: PrometheusMetricsFactory(registry: registry), logger: quietLogger)
        let group = ServiceGroup(services: [informer, controller], logger: quietLogger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: T
            do {
                result = try await body(controller)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }

    @Test func givenAReconcilerThatFailsThreeTimes_whenItRuns_thenRetriesBackOffExponentiallyAndStopAfterSuccess() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "flaky"))
            let reconciler = ScriptedReconciler([.fail, .fail, .fail, .done])
            let registry = PrometheusCollectorRegistry()
            try await runningController(client: client, reconciler: reconciler, registry: registry) { controller in
                #expect(await eventually { await reconciler.callCount == 4 })
                // No further attempts once it succeeded (and no resync configured).
                try await Task.sleep(for: .milliseconds(400))
                #expect(await reconciler.callCount == 4)
                let gaps = await reconciler.gaps
                #expect(gaps.count == 3)
                if gaps.count == 3 {
                    #expect(gaps[0] >= .milliseconds(35))
                    #expect(gaps[1] >= .milliseconds(75))
                    #expect(gaps[2] >= .milliseconds(155))
                }
                #expect(await controller.queue.failureCount(ObjectKey(namespace: "default", name: "flaky")) == 0)
            }
            let text = registry.emitToString()
            #expect(text.contains(#"lifeboat_reconcile_total{controller="configmaps"} 4"#))
            #expect(text.contains(#"lifeboat_reconcile_errors_total{controller="configmaps"} 3"#))
            #expect(text.contains(#"lifeboat_reconcile_duration_seconds_count{controller="configmaps"} 4"#))
        }
    }

    @Test func givenAConflict_whenReconcileThrowsIt_thenTheKeyIsRequeuedSoonWithoutCountingAnError() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "contended"))
            let reconciler = ScriptedReconciler([.conflict, .done])
            let registry = PrometheusCollectorRegistry()
            try await runningController(client: client, reconciler: reconciler, registry: registry) { controller in
                #expect(await eventually { await reconciler.callCount == 2 })
                let gaps = await reconciler.gaps
                #expect(gaps.first.map { $0 >= .milliseconds(25) && $0 < .seconds(2) } == true)
                #expect(await controller.queue.failureCount(ObjectKey(namespace: "default", name: "contended")) == 0)
            }
            #expect(registry.emitToString().contains(#"lifeboat_reconcile_errors_total{controller="configmaps"} 0"#))
        }
    }

    @Test func givenRequeueAfter_whenReconcileAsksForIt_thenTheKeyComesBackAfterTheDelay() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "poll"))
            let reconciler = ScriptedReconciler([.requeue(.milliseconds(250)), .done])
            try await runningController(client: client, reconciler: reconciler) { _ in
                #expect(await eventually { await reconciler.callCount == 2 })
                #expect(await reconciler.gaps.first.map { $0 >= .milliseconds(240) } == true)
            }
        }
    }

    @Test func givenManyEventsForOneObjectAndTwoWorkers_whenReconcilesAreSlow_thenTheyNeverOverlapForThatObject() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "busy", data: ["v": "0"]))
            let reconciler = ScriptedReconciler([], workTime: .milliseconds(50))
            try await runningController(client: client, reconciler: reconciler) { _ in
                for value in 1...8 {
                    _ = try await client.patch(ConfigMap.self, name: "busy", namespace: "default", mergePatch: ["data": ["v": "\(value)"]])
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(await eventually { await reconciler.callCount >= 2 })
                try await Task.sleep(for: .milliseconds(200))
                #expect(await reconciler.maxConcurrent == 1)
                // De-duplicated: far fewer reconciles than events.
                #expect(await reconciler.callCount < 9)
            }
        }
    }

    @Test func givenAResyncPeriod_whenNothingChanges_thenEveryCachedKeyIsReconciledAgain() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "one"))
            _ = try await client.create(ConfigMap(name: "two"))
            let reconciler = ScriptedReconciler([])
            try await runningController(client: client, reconciler: reconciler, resyncPeriod: .milliseconds(300)) { _ in
                #expect(await eventually { await reconciler.callCount >= 6 })
                let names = Set(await reconciler.calls.map { $0.key.name })
                #expect(names == ["one", "two"])
            }
        }
    }
}

@Suite(.timeLimit(.minutes(1))) struct LeaderGatedControllerTests {
    @Test func givenTwoControllersWithLeaderElection_whenAnObjectChanges_thenOnlyTheLeaderReconcilesAndTheStandbyTakesOverAfterACrash() async throws {
        try await withTestAPI { _, client in
            _ = try await client.create(ConfigMap(name: "shared"))
            func replica(_ identity: String, _ reconciler: ScriptedReconciler) -> (Informer<ConfigMap>, LeaderElector, Controller<ConfigMap>) {
                let informer = Informer(ConfigMap.self, client: client, namespace: "default", logger: quietLogger)
                let elector = LeaderElector(client: client, configuration: LeaderElectionConfiguration(
                    leaseName: "controller-test", namespace: "default", identity: identity,
                    leaseDuration: .seconds(1), renewDeadline: .milliseconds(600), retryPeriod: .milliseconds(100)), logger: quietLogger)
                let controller = Controller(name: "replica-\(identity)", informer: informer, reconciler: reconciler, resyncPeriod: nil,
                                            leaderElector: elector, metricsFactory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), logger: quietLogger)
                return (informer, elector, controller)
            }
            let first = ScriptedReconciler([])
            let second = ScriptedReconciler([])
            let (informerA, electorA, controllerA) = replica("a", first)
            let (informerB, electorB, controllerB) = replica("b", second)
            try await withThrowingTaskGroup(of: Void.self) { outer in
                try await withThrowingTaskGroup(of: Void.self) { replicaA in
                    replicaA.addTask { try await informerA.run() }
                    replicaA.addTask { try await electorA.run() }
                    replicaA.addTask { try await controllerA.run() }
                    #expect(await eventually { await first.callCount == 1 })
                    outer.addTask { try await informerB.run() }
                    outer.addTask { try await electorB.run() }
                    outer.addTask { try await controllerB.run() }
                    #expect(await eventually { await informerB.hasSynced })

                    _ = try await client.patch(ConfigMap.self, name: "shared", namespace: "default", mergePatch: ["data": ["v": "2"]])
                    #expect(await eventually { await first.callCount == 2 })
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(await second.callCount == 0)
                    #expect(await !electorB.isLeader)
                    replicaA.cancelAll()  // replica a crashes
                }
                // The standby leads after the lease duration and reconciles every cached key once.
                #expect(await eventually { await second.callCount == 1 })
                #expect(await electorB.isLeader)
                outer.cancelAll()
            }
        }
    }
}
