import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import LifeboatAPI
import LifeboatController
import Logging
import MetricsTestKit

/// A test API server with the BackupPolicy resource (status subresource) and the namespace, Secrets and claim that
/// `PolicySamples` reference, plus a real `KubernetesClient` pointed at it.
struct Scenario {
    let server: KubernetesTestServer
    let client: KubernetesClient
    static let namespace = "prod"
    static let settings = BuilderSettings(defaultImage: "ghcr.io/lifeboat/lifeboat:0.1.0")
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a fresh server and client; stops both afterwards.
    static func run<T>(seedReferences: Bool = true, _ body: (Scenario) async throws -> T) async throws -> T {
        let server = try await KubernetesTestServer.start(options: .init(bookmarkInterval: 1, garbageCollectionDelay: 0.05))
        // The CRD's schema defaults and pruning of unknown fields, as the real API server applies them. Its OpenAPI
        // and CEL checks are left out on purpose: these scenarios test the controller's own validation behind them.
        let encoder = JSONEncoder()
        let defaults = try JSONParser.parse(String(decoding: try encoder.encode(BackupPolicy.schema.defaultsTree), as: UTF8.self))
        let known = try JSONParser.parse(String(decoding: try encoder.encode(BackupPolicy.schema.knownFieldsTree), as: UTF8.self))
        server.register(ResourceDefinition(group: BackupPolicy.group, version: BackupPolicy.version, kind: "BackupPolicy", plural: "backuppolicies",
                                           defaults: defaults, knownFields: known))
        let client: KubernetesClient
        do {
            client = try KubernetesClient(configuration: KubernetesClientConfiguration(server: server.baseURL, connectTimeout: .seconds(2), requestTimeout: .seconds(10)), logger: quiet)
        } catch {
            try? await server.shutdown()
            throw error
        }
        let scenario = Scenario(server: server, client: client)
        do {
            _ = try await client.create(Namespace(metadata: ObjectMeta(name: namespace)))
            if seedReferences { try await scenario.seedReferences() }
            let result = try await body(scenario)
            try? await client.shutdown()
            try? await server.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            try? await server.shutdown()
            throw error
        }
    }

    /// The Secrets and the claim `PolicySamples.minimal()` and its variants reference.
    func seedReferences() async throws {
        for (name, keys) in [("pg-backup", ["password", "username"]), ("pg-ca", ["ca.crt"]), ("s3-creds", ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])] {
            try await createSecret(name, keys: keys)
        }
        _ = try await client.create(PersistentVolumeClaim(metadata: ObjectMeta(name: "backup-volume", namespace: Self.namespace)))
    }

    func createSecret(_ name: String, keys: [String]) async throws {
        let data = Dictionary(uniqueKeysWithValues: keys.map { ($0, Data("value-of-\($0)".utf8).base64EncodedString()) })
        _ = try await client.create(Secret(metadata: ObjectMeta(name: name, namespace: Self.namespace), data: data))
    }

    // MARK: Reading the server

    func policy(_ name: String = "orders") async throws -> BackupPolicy {
        try await client.get(BackupPolicy.self, name: name, namespace: Self.namespace)
    }

    /// Reads the policy, changes it and writes it back, again on 409 (the controller writes too), like `kubectl edit`.
    @discardableResult
    func update(_ name: String = "orders", _ change: (inout BackupPolicy) -> Void) async throws -> BackupPolicy {
        var attempt = 0
        while true {
            var policy = try await self.policy(name)
            change(&policy)
            do {
                return try await client.replace(policy)
            } catch let error as KubernetesError where error.isConflict && attempt < 20 {
                attempt += 1
            }
        }
    }

    func cronJobs() async throws -> [CronJob] {
        try await client.list(CronJob.self, namespace: Self.namespace).items
    }

    func jobs() async throws -> [Job] {
        try await client.list(Job.self, namespace: Self.namespace).items
    }

    func events() async throws -> [Event] {
        try await client.list(Event.self, namespace: Self.namespace).items
    }

    func condition(_ type: BackupPolicyConditionType, of name: String = "orders") async throws -> Condition? {
        try await policy(name).status?.condition(type)
    }

    // MARK: Acting like the CronJob controller and the kubelet

    /// Runs the CronJob `name` now and finishes its Job with `exitCode` and `message`, as kube-controller-manager and
    /// a kubelet would (samples 14c/14d, 15a/15b). Returns the Job's name.
    @discardableResult
    func runAndFinish(cronJob name: String, at date: Date = Date(), exitCode: Int, message: String) throws -> String {
        let job = try server.runCronJob(namespace: Self.namespace, name: name, scheduledAt: date)
        let jobName = job[path: "metadata", "name"]?.stringValue ?? ""
        try server.finishJob(namespace: Self.namespace, name: jobName, exitCode: exitCode, terminationMessage: message)
        return jobName
    }

    /// A successful logical backup's termination message, finished now.
    static func successMessage(id: String, size: Int64 = 4_194_304, finishedAt: Date = Date()) throws -> String {
        let now = KubernetesTime.format(finishedAt)
        let result = WorkerResult(command: "backup", ok: true, backupId: id, kind: .logical, databases: ["orders"], startedAt: now, finishedAt: now,
                                  durationSeconds: 12.5, sizeBytes: size, storedBytes: size / 4, prune: .init(ok: true, deleted: 0, kept: 1))
        return String(decoding: try result.terminationMessage(), as: UTF8.self) + "\n"
    }
}

/// A running controller (`BackupPolicyOperator`, as the executable assembles it) with its own metrics.
struct RunningController {
    let parts: BackupPolicyOperator
    let metrics: TestMetrics

    var caches: BackupPolicyCaches { parts.caches }

    /// Reconciles finished so far (the runtime's `lifeboat_reconcile_total`).
    var reconciles: Int { Int(metrics.counterTotal(label: "lifeboat_reconcile_total")) }

    /// Builds a controller on `client` (optionally with leader election) and runs `body` while it runs; cancels it
    /// afterwards, like a process that stops.
    static func with<T: Sendable>(
        _ scenario: Scenario, instance: String = "controller-a", elector: LeaderElector? = nil, client: KubernetesClient? = nil,
        _ body: @Sendable (RunningController) async throws -> T
    ) async throws -> T {
        let metrics = TestMetrics()
        let parts = await BackupPolicyOperator.make(
            client: client ?? scenario.client, settings: Scenario.settings, instance: instance, leaderElector: elector, resyncPeriod: nil,
            watchTimeoutSeconds: 30, metricsFactory: metrics, logger: Scenario.quiet
        )
        let running = RunningController(parts: parts, metrics: metrics)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in parts.services {
                group.addTask { try await service.run() }
            }
            if let elector { group.addTask { try await elector.run() } }
            do {
                try await parts.caches.waitUntilSynced()
                let result = try await body(running)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; answers whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
