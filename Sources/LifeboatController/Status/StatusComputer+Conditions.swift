import Foundation
import KubernetesModels
import LifeboatAPI

extension StatusComputer {
    /// `now` as a condition time (whole seconds, UTC).
    var nowText: String { KubernetesTime.format(now) }

    func condition(_ type: BackupPolicyConditionType, _ status: ConditionStatus, _ reason: ConditionReason, _ message: String) -> Condition {
        Condition(type: type.rawValue, status: status, observedGeneration: policy.metadata.generation, lastTransitionTime: nowText, reason: reason.rawValue, message: message)
    }

    /// Ready: False naming every invalid field, or the children's state.
    func readyCondition(_ observation: StatusObservation) -> Condition {
        if let first = observation.problems.first {
            let message = "the spec is invalid, so no CronJobs run: " + observation.problems.map(\.description).joined(separator: "; ")
                + ". Fix the spec (or create the missing object); the controller retries when the policy or the referenced object changes."
            return condition(.ready, .false, first.reason, message)
        }
        switch observation.children {
        case .ready:
            return condition(.ready, .true, .childrenReady, "the spec is valid and every CronJob\(policy.spec?.wal?.effectiveMode == .stream ? " and the WAL stream Deployment" : "") is in place")
        case .pending(let message):
            return condition(.ready, .false, .childrenPending, message)
        case .failed(let message):
            return condition(.ready, .false, .childrenFailed, message)
        case .notApplied:
            return condition(.ready, .unknown, .childrenPending, "the children have not been applied yet")
        }
    }

    /// LastBackupSucceeded: the newest recorded backup run of any kind.
    func lastBackupCondition(_ status: BackupPolicyStatus) -> Condition {
        guard let newest = status.recentRuns?.first else {
            return condition(.lastBackupSucceeded, .unknown, .noBackupYet, "no backup run has finished yet\(nextRunText(status))")
        }
        let record = newest.record
        switch newest.outcome {
        case .failed:
            return condition(.lastBackupSucceeded, .false, .backupFailed, "the newest backup run (\(newest.kind.rawValue), finished at \(record.time)) failed: \(record.message ?? "no reason recorded")")
        case .succeeded where record.prune?.ok == false:
            return condition(.lastBackupSucceeded, .true, .pruneFailed,
                "\(newest.kind.rawValue) backup \(record.backupId ?? "") succeeded at \(record.time), but its retention (prune) step failed: \(record.prune?.error ?? "no reason given"); old backups are kept and the repository grows until a prune succeeds")
        case .succeeded:
            return condition(.lastBackupSucceeded, .true, .backupSucceeded, record.message ?? "\(newest.kind.rawValue) backup \(record.backupId ?? "") succeeded at \(record.time)")
        }
    }

    /// BackupFresh from the newest good backup (recorded, or found in the repository by the last check).
    func freshnessCondition(status: BackupPolicyStatus, check: WorkerResult.Check?) -> (condition: Condition, freshUntil: Date?) {
        let candidates = [status.lastSuccessful?.logical?.time, status.lastSuccessful?.base?.time, check?.lastLogicalBackupAt, check?.lastBaseBackupAt]
        let newest = candidates.compactMap { $0.flatMap(KubernetesTime.parse) }.max()
        let limit = policy.spec?.effectiveFreshness ?? BackupPolicySpec.defaultFreshness
        guard let newest else {
            let start = " Start one now with `kubectl annotate bp/\(policy.metadata.name ?? "<name>") \(BackupPolicy.backupNowAnnotation)=$(date +%s)`."
            return (condition(.backupFresh, .false, .noBackupYet, "no successful backup exists yet\(nextRunText(status)).\(start)"), nil)
        }
        let freshUntil = newest.addingTimeInterval(TimeInterval(freshnessSeconds))
        // Absolute times only: a message with "N hours ago" would change the status on every reconcile.
        let when = KubernetesTime.format(newest)
        let until = KubernetesTime.format(freshUntil)
        if now < freshUntil {
            return (condition(.backupFresh, .true, .backupFresh, "the newest good backup finished at \(when); it is within spec.freshness \(limit) until \(until)"), freshUntil)
        }
        return (condition(.backupFresh, .false, .backupStale,
            "the newest good backup finished at \(when) and has been older than spec.freshness \(limit) since \(until); see status.lastFailed and the CronJobs (suspended? failing?)"), freshUntil)
    }

    /// WALArchiving from the newest check run, when WAL shipping is enabled; a failing streamer (stream mode) is
    /// known from its pod before the next check.
    func walCondition(check: FinishedRun?, streamFailure: String? = nil) -> Condition {
        let mode = policy.spec?.wal?.effectiveMode ?? WALSpec.defaultMode
        guard mode != .disabled else {
            return condition(.walArchiving, .false, .walDisabled,
                "WAL shipping is disabled (spec.wal.mode); backups restore only to the moment they were taken. Set spec.wal.mode to stream or archiveCommand for point-in-time recovery.")
        }
        if mode == .stream, let streamFailure {
            return condition(.walArchiving, .false, .walStalled, "\(streamFailure); WAL is not reaching the repository while it is down. Check the replication slot and the server's pg_hba.conf for replication connections.")
        }
        guard let check else {
            return condition(.walArchiving, .unknown, .walPending, "WAL shipping (\(mode.rawValue)) has not been checked yet; the check CronJob measures it")
        }
        guard let measured = check.result?.check, let healthy = measured.walHealthy else {
            return condition(.walArchiving, .unknown, .walPending, "the last check did not measure WAL: \(check.message)")
        }
        let shipped = measured.walLastShipped.map { ", newest segment shipped at \($0)" } ?? ""
        let lag = measured.walLagBytes.map { ", \(ByteCount.text($0)) behind" } ?? ""
        if healthy {
            return condition(.walArchiving, .true, .walHealthy, "WAL reaches the repository (\(mode.rawValue))\(shipped)\(lag)")
        }
        let hint = mode == .stream
            ? "check the WAL stream Deployment's logs and the replication slot"
            : "check archive_command on the server and its log"
        return condition(.walArchiving, .false, .walStalled, "WAL is not reaching the repository\(shipped)\(lag): \(measured.message ?? "no details"); \(hint)")
    }

    /// Warnings for a new spec rejection and for BackupFresh or WALArchiving turning bad; each once, when it starts.
    func conditionEvents(old: BackupPolicyStatus, new: BackupPolicyStatus) -> [PolicyEvent] {
        var events: [PolicyEvent] = []
        let childReasons: Set<String> = [ConditionReason.childrenReady, .childrenPending, .childrenFailed].reduce(into: []) { $0.insert($1.rawValue) }
        if let ready = new.condition(.ready), ready.status == .false, !childReasons.contains(ready.reason) {
            let before = old.condition(.ready)
            if before?.reason != ready.reason || before?.message != ready.message || before?.status != ready.status {
                events.append(PolicyEvent(type: .warning, reason: ready.reason, action: "ValidateSpec", note: ready.message, occurrence: occurrence(ready)))
            }
        }
        if let ready = new.condition(.ready), ready.reason == ConditionReason.childrenFailed.rawValue,
           old.condition(.ready)?.reason != ready.reason || old.condition(.ready)?.message != ready.message {
            events.append(PolicyEvent(type: .warning, reason: ready.reason, action: "ApplyChildren", note: ready.message, occurrence: occurrence(ready)))
        }
        for (type, bad) in [(BackupPolicyConditionType.backupFresh, ConditionReason.backupStale), (.walArchiving, .walStalled)] {
            guard let current = new.condition(type), current.reason == bad.rawValue, old.condition(type)?.reason != bad.rawValue else { continue }
            events.append(PolicyEvent(type: .warning, reason: bad.rawValue, action: "CheckHealth", note: current.message, occurrence: occurrence(current)))
        }
        return events
    }

    /// A condition event's occurrence: its transition time, which has whole seconds only, and the resourceVersion
    /// the status was computed from, so a rejection that comes back within a second is announced again.
    func occurrence(_ condition: Condition) -> String {
        "\(condition.lastTransitionTime)/\(policy.metadata.resourceVersion ?? "")"
    }

    /// "; the next runs at …" from `status.nextScheduledRun`.
    func nextRunText(_ status: BackupPolicyStatus) -> String {
        let next = [status.nextScheduledRun?.logical, status.nextScheduledRun?.base].compactMap { $0 }.min()
        return next.map { "; the next scheduled run is at \($0)" } ?? ""
    }
}
