import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import ServiceLifecycle
import Testing
@testable import ControllerRuntime

@Suite(.timeLimit(.minutes(1))) struct LeaderElectorTests {
    func elector(_ client: KubernetesClient, _ identity: String, lease: Duration = .seconds(1), deadline: Duration = .milliseconds(600), retry: Duration = .milliseconds(100)) -> LeaderElector {
        LeaderElector(client: client, configuration: LeaderElectionConfiguration(
            leaseName: "lifeboat-controller", namespace: "default", identity: identity,
            leaseDuration: lease, renewDeadline: deadline, retryPeriod: retry), logger: quietLogger)
    }

    /// A field of the stored Lease's spec, as text ("holderIdentity", "leaseTransitions", …).
    func leaseField(_ server: KubernetesTestServer, _ field: String) -> String? {
        let value = server.object(group: "coordination.k8s.io", version: "v1", plural: "leases", namespace: "default", name: "lifeboat-controller")?[path: "spec", field]
        return value?.stringValue ?? value?.intValue.map { String($0) }
    }

    @Test func givenTwoCandidates_whenBothRun_thenExactlyOneLeadsAndTheLeaseNamesIt() async throws {
        try await withTestAPI { server, client in
            let a = elector(client, "a")
            let b = elector(client, "b")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await a.run() }
                group.addTask { try await b.run() }
                #expect(await eventually {
                    let aLeads = await a.isLeader
                    let bLeads = await b.isLeader
                    return aLeads || bLeads
                })
                // Over several renew periods there is never zero or two leaders.
                for _ in 0..<15 {
                    let leaders = [await a.isLeader, await b.isLeader].filter { $0 }.count
                    #expect(leaders == 1)
                    try await Task.sleep(for: .milliseconds(50))
                }
                let holder = leaseField(server, "holderIdentity")
                #expect(holder == (await a.isLeader ? "a" : "b"))
                let renewTime = leaseField(server, "renewTime") ?? ""
                // MicroTime: exactly six fractional digits.
                #expect(renewTime.split(separator: ".").last.map { $0.count == 7 && $0.hasSuffix("Z") } == true)
                group.cancelAll()
            }
        }
    }

    @Test func givenALeaderThatCrashes_whenTheOtherCandidateWatches_thenItTakesOverOnlyAfterTheLeaseDuration() async throws {
        try await withTestAPI { server, client in
            let a = elector(client, "a")
            let b = elector(client, "b")
            try await withThrowingTaskGroup(of: Void.self) { outer in
                try await withThrowingTaskGroup(of: Void.self) { inner in
                    inner.addTask { try await a.run() }
                    #expect(await eventually { await a.isLeader })
                    outer.addTask { try await b.run() }
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(await !b.isLeader)
                    inner.cancelAll()  // a crash: no release
                }
                let crashed = ContinuousClock.now
                #expect(leaseField(server, "holderIdentity") == "a")
                #expect(await eventually { await b.isLeader })
                let waited = ContinuousClock.now - crashed
                #expect(waited >= .milliseconds(800), "took over after \(waited), before the 1 s lease duration could pass")
                #expect(waited < .seconds(3))
                #expect(leaseField(server, "holderIdentity") == "b")
                #expect(leaseField(server, "leaseTransitions") == "1")
                outer.cancelAll()
            }
        }
    }

    @Test func givenALeaderWhoseRenewalsFail_whenTheRenewDeadlinePasses_thenItStopsLeadingAndLeaderOnlyWorkIsCancelled() async throws {
        // Not withTestAPI: this test shuts the server down itself, and a second KubernetesTestServer.shutdown()
        // never returns (it closes a channel on the stopped event loop).
        let server = try await KubernetesTestServer.start()
        try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.baseURL, connectTimeout: .seconds(1), requestTimeout: .seconds(2))) { client in
            let a = elector(client, "a", lease: .seconds(3), deadline: .seconds(1), retry: .milliseconds(200))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await a.run() }
                #expect(await eventually { await a.isLeader })
                let outcome = try await withThrowingTaskGroup(of: String.self) { work in
                    work.addTask {
                        do {
                            try await a.withLeadership { try await Task.sleep(for: .seconds(30)) }
                            return "finished"
                        } catch is LeadershipLostError {
                            return "lost"
                        }
                    }
                    try await Task.sleep(for: .milliseconds(300))
                    try await server.shutdown()  // every renewal fails from now on
                    let stopped = ContinuousClock.now
                    let result = try await work.next()!
                    let waited = ContinuousClock.now - stopped
                    // The 1 s deadline counts from the last successful renewal, which came up to one retry period (200 ms)
                    // before the shutdown, later still on a loaded machine; leading must not stop much before it.
                    #expect(waited >= .milliseconds(400), "stopped leading after \(waited), before the deadline")
                    #expect(waited < .seconds(2))
                    return result
                }
                #expect(outcome == "lost")
                #expect(await !a.isLeader)
                group.cancelAll()
            }
        }
    }

    @Test func givenALeaderShuttingDownGracefully_whenItReleasesTheLease_thenTheOtherTakesOverAtOnce() async throws {
        try await withTestAPI { server, client in
            let a = elector(client, "a", lease: .seconds(10), deadline: .seconds(5), retry: .milliseconds(100))
            let b = elector(client, "b", lease: .seconds(10), deadline: .seconds(5), retry: .milliseconds(100))
            try await withThrowingTaskGroup(of: Void.self) { outer in
                let groupA = ServiceGroup(services: [a], logger: quietLogger)
                try await withThrowingTaskGroup(of: Void.self) { inner in
                    inner.addTask { try await groupA.run() }
                    #expect(await eventually { await a.isLeader })
                    outer.addTask { try await b.run() }
                    try await Task.sleep(for: .milliseconds(300))
                    await groupA.triggerGracefulShutdown()
                    try await inner.waitForAll()
                }
                let released = ContinuousClock.now
                #expect(await !a.isLeader)
                #expect(await eventually(timeout: .seconds(5)) { await b.isLeader })
                #expect(ContinuousClock.now - released < .seconds(2), "the 10 s lease duration must not apply after a release")
                #expect(leaseField(server, "holderIdentity") == "b")
                outer.cancelAll()
            }
        }
    }
}
