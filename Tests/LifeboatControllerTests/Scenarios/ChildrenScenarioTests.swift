import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import LifeboatAPI
import LifeboatController
import Testing

/// Apply, update, no-op and delete of a policy's children, through the real client against the test API server.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ChildrenScenarioTests {
    @Test func givenAValidPolicy_whenApplied_thenItsCronJobsExistAsBuiltAndReadyIsTrue() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                let cronJobs = try await scenario.cronJobs()
                #expect(Set(cronJobs.compactMap(\.metadata.name)) == ["orders-logical", "orders-check"])
                let policy = try await scenario.policy()
                let logical = try #require(cronJobs.first { $0.metadata.name == "orders-logical" })
                #expect(logical.spec?.schedule == "30 2 * * *")
                #expect(logical.spec?.concurrencyPolicy == "Forbid")
                #expect(logical.metadata.labels?["lifeboat.dev/policy"] == "orders")
                #expect(logical.spec?.jobTemplate.metadata?.labels?["lifeboat.dev/policy"] == "orders")
                #expect(logical.metadata.ownerReferences?.first?.uid == policy.metadata.uid)
                let container = try #require(logical.spec?.jobTemplate.spec?.template.spec?.containers.first)
                let password = container.env?.first { $0.name == "PGPASSWORD" }
                #expect(password?.valueFrom?.secretKeyRef?.name == "pg-backup")
                #expect(password?.value == nil)
                let args = (container.args ?? []).joined(separator: " ")
                #expect(!args.contains("value-of-"))
                #expect(args.hasPrefix("backup --kind logical"))
                #expect(policy.status?.observedGeneration == policy.metadata.generation)
                #expect(policy.status?.condition(.lastBackupSucceeded)?.reason == "NoBackupYet")
                #expect(policy.status?.nextScheduledRun?.logical != nil)
            }
        }
    }

    @Test func givenReconciledChildren_whenNothingChanges_thenNoChildOrStatusIsRewritten() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                try await Task.sleep(for: .milliseconds(300))
                let before = try await scenario.cronJobs().map { [$0.metadata.name, $0.metadata.resourceVersion] }
                let policyRV = try await scenario.policy().metadata.resourceVersion
                let reconciles = running.reconciles
                scenario.server.clearRequestLog()
                // A label change wakes the reconciler without changing anything it acts on.
                let relabelled = try await scenario.update { $0.metadata.labels = ["team": "payments"] }
                #expect(await eventually { running.reconciles > reconciles })
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await scenario.cronJobs().map { [$0.metadata.name, $0.metadata.resourceVersion] } == before)
                // Not even a no-op apply: the comparison ignores what the server defaulted.
                let childWrites = scenario.server.requestLog.filter { $0.method != "GET" && $0.path.contains("/cronjobs") }
                #expect(childWrites.isEmpty, "\(childWrites.map { "\($0.method) \($0.path)" })")
                #expect(!scenario.server.requestLog.contains { $0.path.hasSuffix("/status") })
                #expect(try await scenario.policy().metadata.resourceVersion == relabelled.metadata.resourceVersion)
                #expect(relabelled.metadata.resourceVersion != policyRV)
            }
        }
    }

    @Test func givenReconciledChildren_whenSomeoneEditsACronJob_thenTheControllerReadsItAgainAndRestoresIt() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                try await Task.sleep(for: .milliseconds(300))
                // The cache holds CronJobs as metadata only; an edit by someone else (same desired-form hash, new
                // resourceVersion) must still be read in full, compared and undone.
                var edited = try #require(try await scenario.cronJobs().first { $0.metadata.name == "orders-logical" })
                edited.spec?.schedule = "0 5 * * *"
                edited.spec?.concurrencyPolicy = "Allow"
                edited.metadata.managedFields = nil
                let written = try await scenario.client.replace(edited)
                #expect(written.spec?.schedule == "0 5 * * *")
                #expect(try await eventually {
                    let restored = try await scenario.cronJobs().first { $0.metadata.name == "orders-logical" }
                    return restored?.spec?.schedule == "30 2 * * *" && restored?.spec?.concurrencyPolicy == "Forbid"
                })
            }
        }
    }

    @Test func givenAPolicy_whenTheScheduleChangesAndABaseScheduleComesAndGoes_thenTheCronJobsFollow() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                try await scenario.update {
                    $0.spec?.schedules.logical?.schedule = "15 4 * * *"
                    $0.spec?.schedules.base = ScheduleSpec(schedule: "0 1 * * 0", timeZone: "Europe/Berlin")
                }
                #expect(try await eventually {
                    let jobs = try await scenario.cronJobs()
                    return jobs.first { $0.metadata.name == "orders-logical" }?.spec?.schedule == "15 4 * * *"
                        && jobs.first { $0.metadata.name == "orders-base" }?.spec?.timeZone == "Europe/Berlin"
                })
                #expect(try await eventually { try await scenario.policy().status?.observedGeneration == 2 })
                try await scenario.update { $0.spec?.schedules.base = nil }
                #expect(try await eventually { try await !scenario.cronJobs().contains { $0.metadata.name == "orders-base" } })
                #expect(try await Set(scenario.cronJobs().compactMap(\.metadata.name)) == ["orders-logical", "orders-check"])
            }
        }
    }

    @Test func givenAPolicyWithChildren_whenDeleted_thenItsChildrenAndGaugesGoButNoFinalizerHoldsIt() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.cronJobs().count == 2 })
                #expect(try await scenario.policy().metadata.finalizers == nil)
                try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 0, message: Scenario.successMessage(id: "b-gone"))
                let gauge = ("lifeboat_backup_last_success_timestamp_seconds", [("namespace", "prod"), ("policy", "orders"), ("kind", "logical")])
                #expect(await eventually { (try? running.metrics.expectGauge(gauge.0, gauge.1)) != nil })
                _ = try await scenario.client.delete(BackupPolicy.self, name: "orders", namespace: Scenario.namespace)
                #expect(try await eventually { try await scenario.cronJobs().isEmpty })
                #expect(await eventually { (try? running.metrics.expectGauge(gauge.0, gauge.1)) == nil })
            }
        }
    }

    @Test func givenAStreamModePolicy_whenDeleted_thenTheSlotCleanupJobRunsBeforeTheFinalizerGoes() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                var policy = PolicySamples.minimal()
                policy.spec?.wal = WALSpec(mode: .stream)
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.policy().metadata.finalizers == [SlotCleanupJobBuilder.finalizer] })
                #expect(try await eventually { try await scenario.client.getIfExists(Deployment.self, name: "orders-wal-stream", namespace: Scenario.namespace) != nil })
                _ = try await scenario.client.delete(BackupPolicy.self, name: "orders", namespace: Scenario.namespace)
                #expect(try await eventually { try await scenario.jobs().contains { $0.metadata.name == "orders-drop-slot" } })
                // The policy is held until the cleanup succeeded.
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await scenario.client.getIfExists(BackupPolicy.self, name: "orders", namespace: Scenario.namespace) != nil)
                #expect(try await scenario.client.getIfExists(Deployment.self, name: "orders-wal-stream", namespace: Scenario.namespace) == nil)
                let cleanup = try #require(try await scenario.jobs().first { $0.metadata.name == "orders-drop-slot" })
                #expect(cleanup.spec?.template.spec?.containers.first?.args?.contains("--drop-slot") == true)
                try scenario.server.finishJob(namespace: Scenario.namespace, name: "orders-drop-slot", exitCode: 0, terminationMessage: "")
                #expect(try await eventually { try await scenario.client.getIfExists(BackupPolicy.self, name: "orders", namespace: Scenario.namespace) == nil })
                #expect(try await eventually { try await scenario.cronJobs().isEmpty })
            }
        }
    }

    @Test func givenAStreamModePolicy_whenWALIsDisabled_thenTheStreamerStopsTheSlotIsDroppedAndTheFinalizerGoes() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                var policy = PolicySamples.minimal()
                policy.spec?.wal = WALSpec(mode: .stream, slotName: "orders_slot")
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.policy().metadata.finalizers == [SlotCleanupJobBuilder.finalizer] })
                #expect(try await eventually { try await scenario.client.getIfExists(Deployment.self, name: "orders-wal-stream", namespace: Scenario.namespace) != nil })
                try await scenario.update { $0.spec?.wal?.mode = .disabled }
                #expect(try await eventually { try await scenario.jobs().contains { $0.metadata.name == "orders-drop-slot" } })
                let cleanup = try #require(try await scenario.jobs().first { $0.metadata.name == "orders-drop-slot" })
                #expect(cleanup.spec?.template.spec?.containers.first?.args == ["wal-stream", "--slot", "orders_slot", "--drop-slot"])
                #expect(try await eventually { try await scenario.client.getIfExists(Deployment.self, name: "orders-wal-stream", namespace: Scenario.namespace) == nil })
                #expect(try await scenario.policy().metadata.finalizers == [SlotCleanupJobBuilder.finalizer])
                try scenario.server.finishJob(namespace: Scenario.namespace, name: "orders-drop-slot", exitCode: 0, terminationMessage: "")
                #expect(try await eventually { try await scenario.policy().metadata.finalizers == nil })
                #expect(try await eventually { try await !scenario.jobs().contains { $0.metadata.name == "orders-drop-slot" } })
                #expect(try await scenario.condition(.walArchiving)?.reason == "WALDisabled")
            }
        }
    }
}
