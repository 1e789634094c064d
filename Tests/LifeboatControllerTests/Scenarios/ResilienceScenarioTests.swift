import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import LifeboatAPI
import LifeboatController
import Testing

/// Leader election and watch expiry.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ResilienceScenarioTests {
    static func elector(_ client: KubernetesClient, _ identity: String) -> LeaderElector {
        LeaderElector(client: client, configuration: LeaderElectionConfiguration(
            leaseName: "lifeboat-controller", namespace: "default", identity: identity,
            leaseDuration: .seconds(3), renewDeadline: .seconds(2), retryPeriod: .milliseconds(200)
        ), logger: Scenario.quiet)
    }

    /// Runs `body` with a client of its own whose User-Agent is `agent` (the test server logs it per request).
    static func withClient<T>(_ scenario: Scenario, agent: String, _ body: (KubernetesClient) async throws -> T) async throws -> T {
        let client = try KubernetesClient(configuration: KubernetesClientConfiguration(server: scenario.server.baseURL, userAgent: "\(agent)/1.0", connectTimeout: .seconds(2)), logger: Scenario.quiet)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func givenTwoControllersWithLeaderElection_whenAPolicyIsApplied_thenOnlyTheLeaderWrites() async throws {
        try await Scenario.run { scenario in
            try await Self.withClient(scenario, agent: "controller-a") { clientA in
                try await Self.withClient(scenario, agent: "controller-b") { clientB in
                    try await Self.onlyTheLeaderWrites(scenario, clientA, clientB)
                }
            }
        }
    }

    static func onlyTheLeaderWrites(_ scenario: Scenario, _ clientA: KubernetesClient, _ clientB: KubernetesClient) async throws {
        let electorA = elector(clientA, "controller-a")
        let electorB = elector(clientB, "controller-b")
        try await RunningController.with(scenario, instance: "controller-a", elector: electorA, client: clientA) { _ in
            try await RunningController.with(scenario, instance: "controller-b", elector: electorB, client: clientB) { _ in
                #expect(await eventually {
                    let a = await electorA.isLeader
                    let b = await electorB.isLeader
                    return a || b
                })
                scenario.server.clearRequestLog()
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 0, message: Scenario.successMessage(id: "b-leader"))
                #expect(try await eventually { try await scenario.policy().status?.lastSuccessful?.logical?.backupId == "b-leader" })
                let leaderA = await electorA.isLeader
                let leaderB = await electorB.isLeader
                #expect(leaderA != leaderB)
                let writers = Set(scenario.server.requestLog
                    .filter { $0.method != "GET" && !$0.path.contains("/leases") }
                    .compactMap { $0.headers["user-agent"]?.split(separator: "/").first.map(String.init) }
                    .filter { $0.hasPrefix("controller-") })
                #expect(writers == [leaderA ? "controller-a" : "controller-b"])
                // Events follow the status write in the same reconcile.
                #expect(try await eventually { try await scenario.events().contains { $0.reason == "BackupSucceeded" } })
                let instances = Set(try await scenario.events().compactMap(\.reportingInstance))
                #expect(instances == [leaderA ? "controller-a" : "controller-b"])
            }
        }
    }

    @Test func givenARunningController_whenTheAPIServerRestartsAndItsWatchHistoryIsCompacted_thenTheControllerRecovers() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                let lists = await running.caches.policies.statistics.lists
                try await scenario.server.restart(compactHistory: true)
                // The test's own client may first meet a pooled connection the restart closed; retry like kubectl.
                #expect(await eventually {
                    guard var policy = try? await scenario.policy() else { return false }
                    policy.spec?.schedules.logical?.schedule = "45 3 * * *"
                    return (try? await scenario.client.replace(policy)) != nil
                })
                #expect(try await eventually(timeout: .seconds(20)) {
                    try await scenario.cronJobs().first { $0.metadata.name == "orders-logical" }?.spec?.schedule == "45 3 * * *"
                })
                #expect(await running.caches.policies.statistics.lists > lists)
            }
        }
    }
}
