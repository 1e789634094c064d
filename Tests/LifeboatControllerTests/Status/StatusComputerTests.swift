import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct StatusComputerTests {
    typealias F = StatusFixtures
    static let now = F.date("2026-11-21T10:00:00Z")

    static func compute(_ policy: BackupPolicy = F.policy(), current: BackupPolicyStatus? = nil, runs: [FinishedRun] = [], problems: [ValidationProblem] = [], at now: Date = now) -> StatusUpdate {
        StatusComputer(policy: policy, now: now).compute(current: current, observation: StatusObservation(finishedRuns: runs, problems: problems))
    }

    @Test func givenASuccessfulRun_whenComputed_thenLastBackupSucceededIsTrueWithTheRunAndANormalEvent() throws {
        let update = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z", id: "b1")])
        let status = update.status
        #expect(status.observedGeneration == 2)
        #expect(status.condition(.lastBackupSucceeded)?.status == .true)
        #expect(status.condition(.lastBackupSucceeded)?.reason == "BackupSucceeded")
        #expect(status.condition(.backupFresh)?.status == .true)
        #expect(status.condition(.ready)?.status == .true)
        #expect(status.lastSuccessful?.logical?.backupId == "b1")
        #expect(status.recentRuns?.count == 1)
        #expect(update.events.map(\.reason) == ["BackupSucceeded"])
        #expect(update.events.first?.type == .normal)
        #expect(update.changed)
        #expect(update.metrics.contains(PolicyMetric(name: .lastSizeBytes, kind: .logical, value: 1_048_576)))
        #expect(update.metrics.contains(PolicyMetric(name: .lastSuccessTimestamp, kind: .logical, value: F.date("2026-11-21T09:52:01Z").timeIntervalSince1970)))
        #expect(update.freshUntil == F.date("2026-11-22T11:52:01Z"))
    }

    @Test(arguments: [true, false])
    func givenAFailedRun_whenComputed_thenLastBackupSucceededIsFalseWithTheWorkersMessageAndAWarning(withMessage: Bool) throws {
        var run = F.run("orders-logical-2", at: "2026-11-21T09:55:00Z", ok: false)
        if !withMessage {
            run.result = nil
            run.failureCause = "Error"
            run.message = "logical backup job orders-logical-2 failed with exit code 3 (Error) and wrote no result; see `kubectl logs job/orders-logical-2 -n prod`"
        }
        let update = Self.compute(runs: [run])
        let condition = try #require(update.status.condition(.lastBackupSucceeded))
        #expect(condition.status == .false)
        #expect(condition.reason == "BackupFailed")
        #expect(condition.message.contains(withMessage ? "connection refused; check spec.server.host" : "exit code 3 (Error) and wrote no result"))
        #expect(update.status.lastFailed?.logical?.jobName == "orders-logical-2")
        #expect(update.status.lastSuccessful == nil)
        #expect(update.status.condition(.backupFresh)?.reason == "NoBackupYet")
        #expect(update.events.map(\.reason) == ["BackupFailed"])
        #expect(update.events.first?.type == .warning)
        #expect(update.metrics.map(\.name) == [.lastFailureTimestamp])
    }

    @Test func givenAGoodBackupWhosePruneFailed_whenComputed_thenTheBackupCountsAndThePruneFailureIsReportedApart() throws {
        let update = Self.compute(runs: [F.run("orders-logical-3", at: "2026-11-21T09:52:01Z", pruneOK: false)])
        let condition = try #require(update.status.condition(.lastBackupSucceeded))
        #expect(condition.status == .true)
        #expect(condition.reason == "PruneFailed")
        #expect(condition.message.contains("AccessDenied"))
        #expect(update.status.lastSuccessful?.logical?.prune?.ok == false)
        #expect(update.status.lastFailed == nil)
        #expect(update.status.condition(.backupFresh)?.status == .true)
        #expect(update.events.map(\.reason) == ["BackupSucceeded", "PruneFailed"])
        #expect(update.events.map(\.type) == [.normal, .warning])
    }

    @Test func givenARunAlreadyRecorded_whenSeenAgainAfterARestart_thenNothingChangesAndNoEventRepeats() {
        let run = F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")
        let first = Self.compute(runs: [run])
        let again = Self.compute(current: first.status, runs: [run, run])
        #expect(!again.changed)
        #expect(again.status == first.status)
        #expect(again.events.isEmpty)
        #expect(again.recorded.isEmpty)
    }

    @Test func givenAFullRecentRunsListAndAnOlderJobStillKept_whenSeen_thenItIsNotRecordedAgain() {
        var current: BackupPolicyStatus? = nil
        for minute in 10..<30 {
            current = Self.compute(current: current, runs: [F.run("orders-logical-\(minute)", at: "2026-11-21T09:\(minute):00Z")]).status
        }
        #expect(current?.recentRuns?.count == BackupPolicyStatus.recentRunsLimit)
        let late = Self.compute(current: current, runs: [F.run("orders-logical-11", at: "2026-11-21T09:11:00Z")])
        #expect(!late.changed)
        #expect(late.events.isEmpty)
    }

    @Test func givenFifteenRuns_whenComputed_thenRecentRunsKeepsTheNewestTenNewestFirstAndEachGetsOneEvent() {
        let runs = (0..<15).map { F.run("orders-logical-\($0)", at: "2026-11-21T09:\(10 + $0):00Z", ok: $0 % 3 != 0) }
        let update = Self.compute(runs: runs.shuffled())
        let recent = update.status.recentRuns ?? []
        #expect(recent.count == 10)
        #expect(recent.first?.record.jobName == "orders-logical-14")
        #expect(recent.last?.record.jobName == "orders-logical-5")
        #expect(update.events.count == 15)
        #expect(update.events.map(\.relatedJobName) == (0..<15).map { "orders-logical-\($0)" })
    }

    @Test func givenAConditionThatDoesNotFlip_whenRecomputedLater_thenItsLastTransitionTimeStays() throws {
        let first = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z", id: "b1")])
        let later = Self.compute(current: first.status, runs: [F.run("orders-logical-2", at: "2026-11-21T10:30:00Z", id: "b2")], at: F.date("2026-11-21T10:31:00Z"))
        let before = try #require(first.status.condition(.lastBackupSucceeded))
        let after = try #require(later.status.condition(.lastBackupSucceeded))
        #expect(after.status == .true)
        #expect(after.message != before.message)
        #expect(after.lastTransitionTime == "2026-11-21T10:00:00Z")
    }

    @Test func givenAConditionThatFlips_whenRecomputed_thenItsLastTransitionTimeMovesToNow() throws {
        let first = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")])
        let later = Self.compute(current: first.status, runs: [F.run("orders-logical-2", at: "2026-11-21T10:30:00Z", ok: false)], at: F.date("2026-11-21T10:31:00Z"))
        let after = try #require(later.status.condition(.lastBackupSucceeded))
        #expect(after.status == .false)
        #expect(after.lastTransitionTime == "2026-11-21T10:31:00Z")
        #expect(later.status.condition(.ready)?.lastTransitionTime == "2026-11-21T10:00:00Z")
    }

    @Test(arguments: [
        ("2026-11-22T11:52:00Z", ConditionStatus.true, "BackupFresh"),
        ("2026-11-22T11:52:01Z", .false, "BackupStale"),
        ("2026-11-25T00:00:00Z", .false, "BackupStale"),
    ])
    func givenAGoodBackupAt0952_whenTimePasses_thenBackupFreshFollowsTheDefault26h(at: String, expected: ConditionStatus, reason: String) throws {
        let first = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")])
        let later = Self.compute(current: first.status, at: F.date(at))
        let fresh = try #require(later.status.condition(.backupFresh))
        #expect(fresh.status == expected)
        #expect(fresh.reason == reason)
        #expect(later.events.map(\.reason) == (expected == .false ? ["BackupStale"] : []))
        // Staying stale announces nothing more; turning stale a minute later announces it then.
        let evenLater = Self.compute(current: later.status, at: F.date(at).addingTimeInterval(60))
        #expect(evenLater.events.contains { $0.reason == "BackupStale" } == (expected == .true))
    }

    @Test func givenAFreshnessOf1h_whenTwoHoursPass_thenTheBackupIsStaleAndTheMessageNamesTheThreshold() throws {
        let policy = F.policy(freshness: "1h")
        let first = Self.compute(policy, runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")])
        let later = Self.compute(policy, current: first.status, at: F.date("2026-11-21T11:52:02Z"))
        let fresh = try #require(later.status.condition(.backupFresh))
        #expect(fresh.reason == "BackupStale")
        #expect(fresh.message.contains("spec.freshness 1h"))
    }

    @Test func givenNothingChanges_whenRecomputedAMinuteLater_thenTheStatusIsNotRewritten() {
        let first = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")])
        let again = Self.compute(current: first.status, at: Self.now.addingTimeInterval(60))
        #expect(!again.changed)
    }

    @Test(arguments: [
        (ValidationProblem(field: "spec.schedules.logical.schedule", reason: .invalidSchedule, message: "\"61 * * * *\": minute 61 is out of range 0-59"), "InvalidSchedule"),
        (ValidationProblem(field: "spec.repository", reason: .repositoryAmbiguous, message: "both s3 and volume are set; keep exactly one repository kind"), "RepositoryAmbiguous"),
        (ValidationProblem(field: "spec.server.credentials.name", reason: .secretNotFound, message: "Secret pg-backup does not exist"), "SecretNotFound"),
        (ValidationProblem(field: "spec.retention.daily", reason: .invalidRetention, message: "-1 is negative"), "InvalidRetention"),
    ])
    func givenAnInvalidSpec_whenComputed_thenReadyIsFalseNamingTheFieldWithOneWarning(problem: ValidationProblem, reason: String) throws {
        let update = StatusComputer(policy: F.policy(), now: Self.now).compute(current: nil, observation: StatusObservation(problems: [problem], children: .notApplied))
        let ready = try #require(update.status.condition(.ready))
        #expect(ready.status == .false)
        #expect(ready.reason == reason)
        #expect(ready.message.contains(problem.field))
        #expect(ready.observedGeneration == 2)
        #expect(update.events == [PolicyEvent(type: .warning, reason: reason, action: "ValidateSpec", note: ready.message, occurrence: "\(ready.lastTransitionTime)/")])
        let again = StatusComputer(policy: F.policy(), now: Self.now.addingTimeInterval(5)).compute(current: update.status, observation: StatusObservation(problems: [problem], children: .notApplied))
        #expect(again.events.isEmpty)
        #expect(!again.changed)
    }

    @Test(arguments: [
        (WALMode.disabled, nil as Bool?, ConditionStatus.false, "WALDisabled"),
        (.stream, nil, .unknown, "WALPending"),
        (.stream, true, .true, "WALHealthy"),
        (.archiveCommand, false, .false, "WALStalled"),
    ])
    func givenAWALModeAndACheckResult_whenComputed_thenWALArchivingSaysSo(mode: WALMode, healthy: Bool?, expected: ConditionStatus, reason: String) throws {
        let runs = healthy == nil ? [] : [F.checkRun("orders-check-1", at: "2026-11-21T09:45:00Z", walHealthy: healthy, shipped: "2026-11-21T09:44:00Z")]
        let update = Self.compute(F.policy(wal: mode), runs: runs)
        let wal = try #require(update.status.condition(.walArchiving))
        #expect(wal.status == expected)
        #expect(wal.reason == reason)
        #expect(update.status.recentRuns == nil)
        if healthy != nil {
            #expect(update.status.wal?.lastShipped == "2026-11-21T09:44:00Z")
            #expect(update.metrics.contains(PolicyMetric(name: .walLastShippedTimestamp, value: F.date("2026-11-21T09:44:00Z").timeIntervalSince1970)))
        }
        #expect(update.events.map(\.reason) == (reason == "WALStalled" ? ["WALStalled"] : []))
    }

    @Test func givenACheckThatFoundAnOlderBackupInTheRepository_whenComputed_thenBackupFreshUsesIt() throws {
        let update = Self.compute(runs: [F.checkRun("orders-check-1", at: "2026-11-21T09:45:00Z", walHealthy: nil, lastLogical: "2026-11-21T03:00:00Z")])
        #expect(update.status.condition(.backupFresh)?.status == .true)
        #expect(update.status.condition(.lastBackupSucceeded)?.reason == "NoBackupYet")
    }

    @Test func givenABackupNowToken_whenComputed_thenItIsRecordedAndKeptAfterwards() {
        let first = StatusComputer(policy: F.policy(), now: Self.now).compute(current: nil, observation: StatusObservation(handledBackupNowToken: "t1"))
        #expect(first.status.handledBackupNowToken == "t1")
        let again = Self.compute(current: first.status)
        #expect(again.status.handledBackupNowToken == "t1")
    }

    @Test func givenADailySchedule_whenComputed_thenNextScheduledRunIsTheNextFiring() {
        let update = Self.compute()
        #expect(update.status.nextScheduledRun?.logical == "2026-11-22T02:30:00Z")
        #expect(update.status.nextScheduledRun?.base == nil)
    }

    @Test func givenAChildTheAPIServerRejected_whenComputed_thenReadyIsFalseWithChildrenFailedAndOneWarning() throws {
        let message = "the API server rejected CronJob orders-logical: spec.timeZone: Invalid value: \"Mars/Olympus\"; fix the policy's spec"
        let observation = StatusObservation(children: .failed(message))
        let update = StatusComputer(policy: F.policy(), now: Self.now).compute(current: nil, observation: observation)
        let ready = try #require(update.status.condition(.ready))
        #expect(ready.status == .false)
        #expect(ready.reason == "ChildrenFailed")
        #expect(ready.message == message)
        #expect(update.events.map(\.reason) == ["ChildrenFailed"])
        let again = StatusComputer(policy: F.policy(), now: Self.now.addingTimeInterval(30)).compute(current: update.status, observation: observation)
        #expect(again.events.isEmpty)
        #expect(!again.changed)
    }

    @Test func givenAFreshBackupAndADailySchedule_whenAskedWhenDue_thenTheSoonerOfStalenessAndTheNextRunResult() throws {
        let update = Self.compute(runs: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")])
        // Next run 2026-11-22T02:30:00Z (+60 s for its result) comes before staleness at 2026-11-22T11:52:01Z.
        let due = try #require(update.secondsUntilDue(now: Self.now))
        #expect(due == F.date("2026-11-22T02:31:00Z").timeIntervalSince(Self.now))
        var suspended = F.policy()
        suspended.spec?.schedules.logical?.suspend = true
        let stale = StatusComputer(policy: suspended, now: Self.now).compute(current: nil, observation: StatusObservation(finishedRuns: [F.run("orders-logical-1", at: "2026-11-21T09:52:01Z")]))
        #expect(stale.secondsUntilDue(now: Self.now) == F.date("2026-11-22T11:52:02Z").timeIntervalSince(Self.now))
        #expect(Self.compute(suspended).secondsUntilDue(now: Self.now) == nil)
    }
}
