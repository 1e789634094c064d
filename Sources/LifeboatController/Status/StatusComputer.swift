import Foundation
import KubernetesModels
import LifeboatAPI

/// What a reconcile observed, for `StatusComputer`.
public struct StatusObservation: Sendable, Hashable {
    /// Finished Jobs of the policy (backups, checks, cleanups), in any order; already recorded ones are skipped.
    public var finishedRuns: [FinishedRun]
    /// What `PolicyValidator` found; empty when the spec is valid.
    public var problems: [ValidationProblem]
    /// Whether the children are in place.
    public var children: ChildrenState
    /// The backup-now token acted on in this reconcile, or nil to keep the recorded one.
    public var handledBackupNowToken: String?
    /// Why the WAL streamer is failing right now (`StreamHealth.failure(in:)`), or nil.
    public var streamFailure: String?

    /// Creates an observation.
    public init(
        finishedRuns: [FinishedRun] = [], problems: [ValidationProblem] = [], children: ChildrenState = .ready, handledBackupNowToken: String? = nil,
        streamFailure: String? = nil
    ) {
        self.finishedRuns = finishedRuns
        self.problems = problems
        self.children = children
        self.handledBackupNowToken = handledBackupNowToken
        self.streamFailure = streamFailure
    }
}

/// The outcome of `StatusComputer.compute`: the new status and what to emit.
public struct StatusUpdate: Sendable, Hashable {
    /// The status to write.
    public var status: BackupPolicyStatus
    /// Whether `status` differs from the status it was computed from; write it only then.
    public var changed: Bool
    /// Events for newly recorded runs, new spec rejections and health flips; each appears in one update only.
    public var events: [PolicyEvent]
    /// Gauge values to set for this policy.
    public var metrics: [PolicyMetric]
    /// The backup runs recorded by this update (not seen before).
    public var recorded: [FinishedRun]
    /// When BackupFresh turns False unless a new backup succeeds first (nil when there is no good backup).
    public var freshUntil: Date?

    /// Creates an update.
    public init(status: BackupPolicyStatus, changed: Bool, events: [PolicyEvent], metrics: [PolicyMetric], recorded: [FinishedRun], freshUntil: Date?) {
        self.status = status
        self.changed = changed
        self.events = events
        self.metrics = metrics
        self.recorded = recorded
        self.freshUntil = freshUntil
    }
}

extension StatusUpdate {
    /// Seconds until the status may change without any event: BackupFresh turning stale, or a minute after the next
    /// scheduled run (when its result is due). Nil when nothing is due.
    public func secondsUntilDue(now: Date) -> TimeInterval? {
        var moments: [Date] = []
        if let freshUntil, freshUntil > now { moments.append(freshUntil.addingTimeInterval(1)) }
        for text in [status.nextScheduledRun?.logical, status.nextScheduledRun?.base].compactMap({ $0 }) {
            if let date = KubernetesTime.parse(text) { moments.append(date.addingTimeInterval(60)) }
        }
        return moments.min().map { max(1, $0.timeIntervalSince(now)) }
    }
}

/// Computes a BackupPolicy's status from what a reconcile observed. Pure: no I/O, `now` is an input.
///
/// Each run is recorded exactly once: a run whose Job name is already in `status.recentRuns` (or that is older than
/// every kept entry of a full list) is skipped, so re-reading kept Jobs after a controller restart changes nothing.
/// Conditions keep their `lastTransitionTime` unless their status flips. Events are produced only for what is new in
/// this update, never again for the same run or the same rejection.
public struct StatusComputer: Sendable {
    /// The policy, as read from the cache.
    public var policy: BackupPolicy
    /// The time of this reconcile.
    public var now: Date

    /// Creates a computer for `policy` at `now`.
    public init(policy: BackupPolicy, now: Date) {
        self.policy = policy
        self.now = now
    }

    /// The freshness threshold in seconds: `spec.freshness`, or 26h when absent or unreadable (validation reports that).
    public var freshnessSeconds: Int64 {
        PolicyDuration(policy.spec?.effectiveFreshness ?? BackupPolicySpec.defaultFreshness)?.seconds
            ?? PolicyDuration(BackupPolicySpec.defaultFreshness)!.seconds
    }

    /// The new status, events and metrics from `current` (nil for a policy never written) and `observation`.
    public func compute(current: BackupPolicyStatus?, observation: StatusObservation) -> StatusUpdate {
        let old = current ?? BackupPolicyStatus()
        var status = old
        var events: [PolicyEvent] = []
        let generation = policy.metadata.generation

        let fresh = Self.unrecorded(observation.finishedRuns, in: old)
        for run in fresh {
            guard let entry = run.recentRun else { continue }
            status.record(entry)
            events += Self.events(for: run)
        }
        let check = observation.finishedRuns.filter(\.isCheck).max { $0.finishedAt < $1.finishedAt }
        if let measured = check?.result?.check { status.wal = Self.walStatus(old.wal, measured) }

        status.observedGeneration = generation
        status.nextScheduledRun = Self.nonEmpty(NextScheduledRuns.compute(for: policy, after: now))
        if let token = observation.handledBackupNowToken { status.handledBackupNowToken = token }

        let freshness = freshnessCondition(status: status, check: check?.result?.check)
        var conditions = [
            readyCondition(observation),
            lastBackupCondition(status),
            freshness.condition,
        ]
        conditions.append(walCondition(check: check, streamFailure: observation.streamFailure))
        status.conditions = conditions.map { condition in
            Self.keepingTransitionTime(condition, previous: old.conditions?.first { $0.type == condition.type }, generation: generation)
        }
        events += conditionEvents(old: old, new: status)

        return StatusUpdate(
            status: status, changed: status != old, events: events, metrics: metrics(status), recorded: fresh,
            freshUntil: freshness.freshUntil
        )
    }

    /// The backup runs in `runs` that `status` has not recorded yet, oldest first, each Job once.
    public static func unrecorded(_ runs: [FinishedRun], in status: BackupPolicyStatus) -> [FinishedRun] {
        let recent = status.recentRuns ?? []
        var seen = Set(recent.compactMap(\.record.jobName))
        let full = recent.count >= BackupPolicyStatus.recentRunsLimit
        let oldestKept = recent.map(\.record.time).min()
        var result: [FinishedRun] = []
        for run in runs.sorted(by: { ($0.finishedAt, $0.jobName) < ($1.finishedAt, $1.jobName) }) where run.backupKind != nil {
            guard !seen.contains(run.jobName) else { continue }
            // A full list dropped its older entries: a run older than every kept one was recorded before (or would
            // fall off at once), so it must not be recorded (and announced) again.
            if full, let oldestKept, run.finishedAt < oldestKept { continue }
            seen.insert(run.jobName)
            result.append(run)
        }
        return result
    }

    /// The Events announcing a newly recorded backup run.
    static func events(for run: FinishedRun) -> [PolicyEvent] {
        guard run.backupKind != nil else { return [] }
        if !run.succeeded {
            return [PolicyEvent(type: .warning, reason: ConditionReason.backupFailed.rawValue, action: PolicyEvent.recordRunAction, note: run.message, relatedJobName: run.jobName)]
        }
        var events = [PolicyEvent(type: .normal, reason: ConditionReason.backupSucceeded.rawValue, action: PolicyEvent.recordRunAction, note: run.message, relatedJobName: run.jobName)]
        if run.pruneFailed {
            let note = "retention (prune) after backup \(run.result?.backupId ?? "") failed in job \(run.jobName): \(run.result?.prune?.error ?? "no reason given"); "
                + "old backups are kept until a prune succeeds"
            events.append(PolicyEvent(type: .warning, reason: ConditionReason.pruneFailed.rawValue, action: PolicyEvent.recordRunAction, note: note, relatedJobName: run.jobName))
        }
        return events
    }

    /// The WAL status after a check measured `check`; `lastShipped` never moves backwards.
    static func walStatus(_ old: WALStatus?, _ check: WorkerResult.Check) -> WALStatus? {
        guard check.walLastShipped != nil || check.walLagBytes != nil || check.walHealthy != nil || old != nil else { return nil }
        var wal = old ?? WALStatus()
        if let shipped = check.walLastShipped, shipped > (wal.lastShipped ?? "") { wal.lastShipped = shipped }
        wal.lagBytes = check.walLagBytes ?? wal.lagBytes
        if check.walHealthy != nil { wal.message = check.message }
        return wal
    }

    /// `condition` with the previous `lastTransitionTime` kept unless the status flipped.
    public static func keepingTransitionTime(_ condition: Condition, previous: Condition?, generation: Int64?) -> Condition {
        var result = condition
        result.observedGeneration = generation
        if let previous, previous.status == condition.status { result.lastTransitionTime = previous.lastTransitionTime }
        return result
    }

    static func nonEmpty(_ runs: ScheduledRuns) -> ScheduledRuns? {
        runs.logical == nil && runs.base == nil ? nil : runs
    }

    /// The gauges of `status`: per kind the newest success and failure, and WAL shipping.
    func metrics(_ status: BackupPolicyStatus) -> [PolicyMetric] {
        var values: [PolicyMetric] = []
        for kind in BackupKind.allCases {
            if let success = status.lastSuccessful?[kind] {
                if let date = KubernetesTime.parse(success.time) { values.append(.init(name: .lastSuccessTimestamp, kind: kind, value: date.timeIntervalSince1970)) }
                if let size = success.sizeBytes { values.append(.init(name: .lastSizeBytes, kind: kind, value: Double(size))) }
                if let duration = success.durationSeconds { values.append(.init(name: .lastDurationSeconds, kind: kind, value: duration)) }
            }
            if let failure = status.lastFailed?[kind], let date = KubernetesTime.parse(failure.time) {
                values.append(.init(name: .lastFailureTimestamp, kind: kind, value: date.timeIntervalSince1970))
            }
        }
        if let shipped = status.wal?.lastShipped, let date = KubernetesTime.parse(shipped) {
            values.append(.init(name: .walLastShippedTimestamp, value: date.timeIntervalSince1970))
        }
        return values
    }
}
