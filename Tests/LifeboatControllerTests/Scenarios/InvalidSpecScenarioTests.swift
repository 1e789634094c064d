import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import LifeboatAPI
import LifeboatController
import Testing

/// Bad input: each gives Ready=False naming the field, one Warning Event, no children, and no hot loop.
@Suite(.serialized, .timeLimit(.minutes(3))) struct InvalidSpecScenarioTests {
    /// A way to break the sample policy, the reason it must give and the field its message must name.
    struct Breakage: Sendable, CustomStringConvertible {
        var description: String
        var reason: ConditionReason
        var field: String
        var change: @Sendable (inout BackupPolicy) -> Void
    }

    static let breakages: [Breakage] = [
        Breakage(description: "bad cron", reason: .invalidSchedule, field: "spec.schedules.logical.schedule") { $0.spec?.schedules.logical?.schedule = "61 * * * *" },
        Breakage(description: "both repository kinds", reason: .repositoryAmbiguous, field: "spec.repository") {
            $0.spec?.repository.volume = VolumeRepositorySpec(claimName: "backup-volume")
        },
        Breakage(description: "missing Secret", reason: .secretNotFound, field: "spec.server.credentials.name") { $0.spec?.server.credentials.name = "no-such-secret" },
        Breakage(description: "missing key in the Secret", reason: .secretKeyMissing, field: "spec.server.credentials.passwordKey") {
            $0.spec?.server.credentials.passwordKey = "pass"
        },
        Breakage(description: "negative retention", reason: .invalidRetention, field: "spec.retention.daily") { $0.spec?.retention = RetentionSpec(daily: -1) },
        Breakage(description: "missing PVC", reason: .pvcNotFound, field: "spec.repository.volume.claimName") {
            $0.spec?.repository = RepositorySpec(volume: VolumeRepositorySpec(claimName: "no-such-claim"))
        },
    ]

    @Test(arguments: breakages)
    func givenAnInvalidSpec_whenApplied_thenReadyIsFalseNamingTheFieldWithAnEventNoChildrenAndNoHotLoop(breakage: Breakage) async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                var policy = PolicySamples.minimal()
                breakage.change(&policy)
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .false })
                let ready = try #require(try await scenario.condition(.ready))
                #expect(ready.reason == breakage.reason.rawValue)
                #expect(ready.message.contains(breakage.field))
                #expect(try await eventually { try await scenario.events().contains { $0.reason == breakage.reason.rawValue && $0.type == "Warning" } })
                let settled = running.reconciles
                try await Task.sleep(for: .seconds(1))
                // At most the reconcile still finishing and the one woken by its own status write; a retry loop
                // would show tens.
                #expect(running.reconciles - settled <= 2, "reconciles in a quiet second: \(running.reconciles - settled)")
                #expect(try await scenario.cronJobs().isEmpty)
                #expect(try await scenario.events().filter { $0.reason == breakage.reason.rawValue }.count == 1)
            }
        }
    }

    @Test func givenAMissingSecret_whenCreatedAndDeletedAgain_thenReadyFollowsAndEachRejectionIsAnnounced() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                var policy = PolicySamples.minimal()
                policy.spec?.encryption = EncryptionSpec(keySecret: SecretKeyReference(name: "lifeboat-key", key: "key"))
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.condition(.ready)?.reason == "SecretNotFound" })
                try await scenario.createSecret("lifeboat-key", keys: ["key"])
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                #expect(try await scenario.cronJobs().count == 2)
                _ = try await scenario.client.delete(Secret.self, name: "lifeboat-key", namespace: Scenario.namespace)
                #expect(try await eventually { try await scenario.condition(.ready)?.reason == "SecretNotFound" })
                #expect(try await eventually { try await scenario.events().filter { $0.reason == "SecretNotFound" }.count == 2 })
            }
        }
    }
}
