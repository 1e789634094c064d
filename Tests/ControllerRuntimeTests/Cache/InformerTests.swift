import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import Testing
@testable import ControllerRuntime

@Suite(.timeLimit(.minutes(1))) struct InformerTests {
    /// Runs `informer` in a child task while `body` runs, then cancels it.
    func running<R, T: Sendable>(_ informer: Informer<R>, _ body: () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await informer.run() }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    @Test func givenExistingObjectsOverSeveralPages_whenObjectsAreCreatedUpdatedAndDeleted_thenTheCacheAndHandlersFollow() async throws {
        try await withTestAPI { server, client in
            for name in ["a", "b", "c"] { _ = try await client.create(ConfigMap(name: name, data: ["v": "1"])) }
            let informer = Informer(ConfigMap.self, client: client, namespace: "default", pageSize: 2, logger: quietLogger)
            let recorder = EventRecorder()
            await informer.addEventHandler { await recorder.record($0) }
            try await running(informer) {
                try await informer.waitUntilSynced()
                #expect(await informer.keys.map(\.name) == ["a", "b", "c"])
                #expect(await informer.hasSynced)
                // Paged: two list requests of limit=2.
                #expect(server.requestLog.filter { $0.method == "GET" && $0.query["limit"] == "2" }.count == 2)

                _ = try await client.create(ConfigMap(name: "d", data: ["v": "1"]))
                var changed = try await client.get(ConfigMap.self, name: "a", namespace: "default")
                changed.data = ["v": "2"]
                _ = try await client.replace(changed)
                _ = try await client.delete(ConfigMap.self, name: "b", namespace: "default")

                let settled = await eventually {
                    let value = await informer.get(ObjectKey(namespace: "default", name: "a"))?.data?["v"]
                    let names = await informer.keys.map(\.name)
                    return value == "2" && names == ["a", "c", "d"]
                }
                #expect(settled)
                #expect(await recorder.lines == ["ADDED default/a", "ADDED default/b", "ADDED default/c", "ADDED default/d", "UPDATED default/a", "DELETED default/b"])
                #expect(await informer.lastResourceVersion == String(server.currentResourceVersion))
            }
        }
    }

    @Test func givenAStoppedInformer_whenHistoryIsCompactedMeanwhile_thenItRelistsOn410AndSynthesisesTheDelete() async throws {
        try await withTestAPI { server, client in
            _ = try await client.create(ConfigMap(name: "old"))
            let informer = Informer(ConfigMap.self, client: client, namespace: "default", logger: quietLogger)
            let recorder = EventRecorder()
            await informer.addEventHandler { await recorder.record($0) }
            try await running(informer) { try await informer.waitUntilSynced() }

            // While it is stopped: one object appears, one goes, and the server forgets the history.
            _ = try await client.create(ConfigMap(name: "new"))
            _ = try await client.delete(ConfigMap.self, name: "old", namespace: "default")
            server.compact()

            try await running(informer) {
                let recovered = await eventually { await informer.keys.map(\.name) == ["new"] }
                #expect(recovered)
                let statistics = await informer.statistics
                #expect(statistics.gone == 1)
                #expect(statistics.lists == 2)
            }
            #expect(await recorder.lines == ["ADDED default/old", "ADDED default/new", "DELETED default/old"])
        }
    }

    @Test func givenARunningInformer_whenTheServerRestarts_thenItReconnectsWithoutMissingAnObjectCreatedMeanwhile() async throws {
        try await withTestAPI { server, client in
            let informer = Informer(ConfigMap.self, client: client, namespace: "default",
                                    retryBackoff: ExponentialBackoff(base: .milliseconds(200), cap: .seconds(1)), logger: quietLogger)
            try await running(informer) {
                try await informer.waitUntilSynced()
                _ = try await client.create(ConfigMap(name: "before"))
                #expect(await eventually { await informer.keys.map(\.name) == ["before"] })
                let watchesBefore = await informer.statistics.watches

                try await server.restart(compactHistory: true)
                // The restart also closed the test's own pooled connections: a create on one of them fails
                // with a transport error (POST is not retried by the client), so retry like a caller would.
                _ = try await retryingTransportErrors { try await client.create(ConfigMap(name: "during")) }

                #expect(await eventually { await informer.keys.map(\.name) == ["before", "during"] })
                _ = try await retryingTransportErrors { try await client.create(ConfigMap(name: "after")) }
                #expect(await eventually { await informer.keys.map(\.name) == ["after", "before", "during"] })
                #expect(await informer.statistics.watches > watchesBefore)
            }
        }
    }

    @Test func givenAShortWatchTimeout_whenTheServerEndsWatches_thenTheInformerRewatchesFromTheLastVersionWithoutRelisting() async throws {
        try await withTestAPI { server, client in
            let informer = Informer(ConfigMap.self, client: client, namespace: "default", watchTimeoutSeconds: 1, logger: quietLogger)
            try await running(informer) {
                try await informer.waitUntilSynced()
                try await Task.sleep(for: .milliseconds(2300))
                _ = try await client.create(ConfigMap(name: "late"))
                #expect(await eventually { await informer.keys.map(\.name) == ["late"] })
                let statistics = await informer.statistics
                #expect(statistics.watches >= 3)
                #expect(statistics.lists == 1)
                // Every re-watch resumed from a resourceVersion (none replayed the collection).
                let watches = server.requestLog.filter { $0.query["watch"] == "1" }
                #expect(watches.count >= 3)
                #expect(watches.allSatisfy { ($0.query["resourceVersion"] ?? "0") != "0" && $0.query["allowWatchBookmarks"] == "true" })
            }
        }
    }

    @Test func givenALabelScopedInformer_whenLabelledAndUnlabelledObjectsChange_thenOnlyLabelledOnesAreCachedAndMappedToTheirPolicy() async throws {
        try await withTestAPI { _, client in
            let informer = Informer(ConfigMap.self, client: client, labelSelector: "lifeboat.dev/policy", logger: quietLogger)
            let queue = WorkQueue<ObjectKey>()
            await informer.enqueue(into: queue, keys: ObjectKey.fromLabel("lifeboat.dev/policy"))
            try await running(informer) {
                try await informer.waitUntilSynced()
                _ = try await client.create(ConfigMap(name: "unrelated"))
                _ = try await client.create(ConfigMap(namespace: "kube-public", name: "orders-run-1", labels: ["lifeboat.dev/policy": "orders"]))
                #expect(await eventually { await informer.keys.map(\.name) == ["orders-run-1"] })
                #expect(await queue.next() == ObjectKey(namespace: "kube-public", name: "orders"))
                #expect(await queue.depth == 0)
            }
        }
    }
}
