import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import KubernetesTestServer
import LifeboatAPI
import LifeboatController
import MetricsTestKit
import Testing

/// Runs finishing (created exactly as the CronJob controller and a kubelet would), on-demand backups and restarts.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RunResultScenarioTests {
    static let succeeded = Set(["orders-logical", "orders-check"])

    @Test func givenAJobThatFinishesWithAResult_whenSeen_thenStatusEventAndMetricRecordIt() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.cronJobs().count == 2 })
                let job = try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 0, message: Scenario.successMessage(id: "20261121T095200Z-aa01"))
                #expect(try await eventually { try await scenario.condition(.lastBackupSucceeded)?.status == .true })
                let status = try #require(try await scenario.policy().status)
                #expect(status.lastSuccessful?.logical?.backupId == "20261121T095200Z-aa01")
                #expect(status.lastSuccessful?.logical?.sizeBytes == 4_194_304)
                #expect(status.lastSuccessful?.logical?.jobName == job)
                #expect(status.condition(.backupFresh)?.status == .true)
                #expect(status.recentRuns?.count == 1)
                #expect(try await eventually { try await scenario.events().contains { $0.reason == "BackupSucceeded" && $0.related?.name == job } })
                let event = try #require(try await scenario.events().first { $0.reason == "BackupSucceeded" })
                #expect(event.type == "Normal")
                #expect(event.reportingController == "lifeboat.dev/controller")
                #expect(event.regarding?.name == "orders")
                // Metrics are set right after the Events, in the same reconcile.
                #expect(await eventually {
                    (try? running.metrics.expectGauge("lifeboat_backup_last_size_bytes", [("namespace", "prod"), ("policy", "orders"), ("kind", "logical")]))?.lastValue == 4_194_304
                })
            }
        }
    }

    @Test func givenAJobThatFailsWithExitCode3AndAPlainMessage_whenSeen_thenLastBackupSucceededIsFalseWithTheReason() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.cronJobs().count == 2 })
                let job = try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 3, message: "disk full\n")
                #expect(try await eventually { try await scenario.condition(.lastBackupSucceeded)?.status == .false })
                let condition = try #require(try await scenario.condition(.lastBackupSucceeded))
                #expect(condition.reason == "BackupFailed")
                #expect(condition.message.contains("exit code 3 (Error)"))
                #expect(condition.message.contains("disk full"))
                #expect(condition.message.contains("kubectl logs job/\(job)"))
                #expect(try await scenario.policy().status?.lastFailed?.logical?.jobName == job)
                #expect(try await eventually { try await scenario.events().contains { $0.reason == "BackupFailed" && $0.type == "Warning" } })
            }
        }
    }

    @Test func givenARunThatFinishedWhileTheControllerWasDown_whenItStarts_thenTheRunIsRecordedOnceWithoutDuplicates() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario, instance: "first") { _ in
                _ = try await scenario.client.create(PolicySamples.minimal())
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                let first = try scenario.runAndFinish(cronJob: "orders-logical", at: Date().addingTimeInterval(-120), exitCode: 0, message: Scenario.successMessage(id: "b-first", finishedAt: Date().addingTimeInterval(-100)))
                #expect(try await eventually { try await scenario.policy().status?.recentRuns?.first?.record.jobName == first })
            }
            // Down: a run ends and nobody watches.
            let second = try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 0, message: Scenario.successMessage(id: "b-second"))
            try await RunningController.with(scenario, instance: "second") { _ in
                #expect(try await eventually { try await scenario.policy().status?.lastSuccessful?.logical?.backupId == "b-second" })
                try await Task.sleep(for: .milliseconds(500))
            }
            // And a third start re-reads both kept Jobs: nothing is recorded or announced twice.
            try await RunningController.with(scenario, instance: "third") { running in
                #expect(await eventually { running.reconciles >= 1 })
                try await Task.sleep(for: .milliseconds(500))
            }
            let status = try #require(try await scenario.policy().status)
            #expect(status.recentRuns?.map(\.record.backupId) == ["b-second", "b-first"])
            // Starting with warm data must not flap Ready (a Secret not yet listed is not a missing Secret).
            #expect(try await scenario.events().filter { $0.type == "Warning" }.isEmpty)
            #expect(try await scenario.policy().status?.condition(.ready)?.status == .true)
            let succeededEvents = try await scenario.events().filter { $0.reason == "BackupSucceeded" }
            #expect(succeededEvents.count == 2)
            #expect(Set(succeededEvents.compactMap(\.related?.name)).contains(second))
            #expect(try await Set(scenario.cronJobs().compactMap(\.metadata.name)) == Self.succeeded)
        }
    }

    @Test func givenAControllerStoppedMidReconcile_whenAnotherStarts_thenItFinishesTheWorkWithoutDuplicates() async throws {
        try await Scenario.run { scenario in
            var policy = PolicySamples.minimal()
            policy.spec?.schedules.base = ScheduleSpec(schedule: "0 1 * * 0")
            policy.metadata.annotations = [BackupPolicy.backupNowAnnotation: "t-restart"]
            try await RunningController.with(scenario, instance: "stopped") { [policy] _ in
                _ = try await scenario.client.create(policy)
                // Stop as soon as the first child appears, while the rest of the reconcile may still be under way.
                #expect(try await eventually(timeout: .seconds(5)) { try await !scenario.cronJobs().isEmpty })
            }
            try await RunningController.with(scenario, instance: "restarted") { _ in
                #expect(try await eventually { try await scenario.policy().status?.handledBackupNowToken == "t-restart" })
                #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(try await Set(scenario.cronJobs().compactMap(\.metadata.name)) == ["orders-logical", "orders-base", "orders-check"])
            #expect(try await scenario.cronJobs().count == 3)
            #expect(try await scenario.jobs().count == 1)
        }
    }

    @Test func givenTwoControllersStartedTogether_whenTheyReconcile_thenNoChildOrRunIsDuplicated() async throws {
        // A restart in the middle of a reconcile looks like two reconciles of the same state racing: every write is
        // idempotent (apply, create → AlreadyExists, status guarded by resourceVersion, Events named by content).
        try await Scenario.run { scenario in
            try await RunningController.with(scenario, instance: "a") { _ in
                try await RunningController.with(scenario, instance: "b") { _ in
                    _ = try await scenario.client.create(PolicySamples.minimal())
                    #expect(try await eventually { try await scenario.condition(.ready)?.status == .true })
                    try scenario.runAndFinish(cronJob: "orders-logical", exitCode: 0, message: Scenario.successMessage(id: "b-race"))
                    #expect(try await eventually { try await scenario.policy().status?.lastSuccessful?.logical?.backupId == "b-race" })
                    try await Task.sleep(for: .milliseconds(500))
                }
            }
            #expect(try await scenario.policy().status?.recentRuns?.count == 1)
            #expect(try await scenario.events().filter { $0.reason == "BackupSucceeded" }.count == 1)
            #expect(try await scenario.cronJobs().count == 2)
        }
    }

    @Test func givenABackupNowAnnotation_whenReconciled_thenOneJobRunsAndTheTokenIsRecordedEvenWhenReapplied() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { _ in
                var policy = PolicySamples.minimal()
                policy.metadata.annotations = [BackupPolicy.backupNowAnnotation: "2026-11-21-a"]
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.policy().status?.handledBackupNowToken == "2026-11-21-a" })
                let jobs = try await scenario.jobs()
                #expect(jobs.count == 1)
                let job = try #require(jobs.first)
                #expect(job.metadata.labels?["lifeboat.dev/trigger"] == "backup-now")
                // A GitOps tool re-applies the same annotation (a metadata change wakes the controller).
                try await scenario.update { $0.metadata.labels = ["reapplied": "yes"] }
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await scenario.jobs().count == 1)
                try scenario.server.finishJob(namespace: Scenario.namespace, name: job.metadata.name ?? "", exitCode: 0, terminationMessage: Scenario.successMessage(id: "b-now"))
                #expect(try await eventually { try await scenario.policy().status?.lastSuccessful?.logical?.backupId == "b-now" })
            }
        }
    }

    @Test func givenStreamMode_whenTheCheckRunReportsWAL_thenWALArchivingFollowsItAndTheShippedGaugeIsSet() async throws {
        try await Scenario.run { scenario in
            try await RunningController.with(scenario) { running in
                var policy = PolicySamples.minimal()
                policy.spec?.wal = WALSpec(mode: .stream)
                _ = try await scenario.client.create(policy)
                #expect(try await eventually { try await scenario.condition(.walArchiving)?.reason == "WALPending" })
                let shipped = KubernetesTime.format(Date().addingTimeInterval(-30))
                func check(healthy: Bool, at date: Date) throws -> String {
                    let result = WorkerResult(command: "check", ok: true, finishedAt: KubernetesTime.format(date), check: .init(
                        lastLogicalBackupAt: KubernetesTime.format(Date().addingTimeInterval(-3600)), walLastShipped: shipped, walLagBytes: 8192,
                        walHealthy: healthy, message: healthy ? "WAL current" : "no WAL segment for 20m; the slot is inactive"))
                    return String(decoding: try result.terminationMessage(), as: UTF8.self) + "\n"
                }
                try scenario.runAndFinish(cronJob: "orders-check", at: Date().addingTimeInterval(-120), exitCode: 0, message: check(healthy: true, at: Date().addingTimeInterval(-60)))
                #expect(try await eventually { try await scenario.condition(.walArchiving)?.status == .true })
                #expect(try await scenario.policy().status?.wal?.lastShipped == shipped)
                // The repository already holds a recent backup: BackupFresh without a recorded run.
                #expect(try await scenario.condition(.backupFresh)?.status == .true)
                #expect(await eventually { (try? running.metrics.expectGauge("lifeboat_wal_last_shipped_timestamp_seconds", [("namespace", "prod"), ("policy", "orders")])) != nil })
                try scenario.runAndFinish(cronJob: "orders-check", exitCode: 0, message: check(healthy: false, at: Date()))
                #expect(try await eventually { try await scenario.condition(.walArchiving)?.reason == "WALStalled" })
                #expect(try await scenario.condition(.walArchiving)?.message.contains("the slot is inactive") == true)
                #expect(try await eventually { try await scenario.events().contains { $0.reason == "WALStalled" && $0.type == "Warning" } })
            }
        }
    }
}
