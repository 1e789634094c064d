import LifeboatAPI

/// One finished worker Job as the controller understood it: which run it was, whether its main work succeeded, and
/// what it reported. Produced by `RunResultReader` from a Job and its Pods; consumed by `StatusComputer`.
public struct FinishedRun: Sendable, Hashable {
    /// The Job's name; together with `jobUID` it identifies the run, so a result is recorded once.
    public var jobName: String
    /// The Job's uid, when known.
    public var jobUID: String?
    /// What the Job did (from its `lifeboat.dev/kind` label, or the result's backup kind).
    public var workload: WorkloadKind?
    /// The Job's `lifeboat.dev/trigger` label: `schedule`, `backup-now` or `cleanup`.
    public var trigger: String?
    /// When the run finished (RFC 3339, UTC).
    public var finishedAt: String
    /// Whether the run's main work succeeded. A backup whose prune step alone failed has succeeded.
    public var succeeded: Bool
    /// The worker's decoded result, or nil when the termination message was missing or unreadable.
    public var result: WorkerResult?
    /// A short CamelCase cause when the run failed: the worker's error code, `OOMKilled`, `DeadlineExceeded`,
    /// `BackoffLimitExceeded`, `Error`, `NoResult`.
    public var failureCause: String?
    /// What happened, in words a person can act on (for a failure: what went wrong and where to look).
    public var message: String

    /// Creates a finished run.
    public init(
        jobName: String, jobUID: String? = nil, workload: WorkloadKind?, trigger: String? = nil, finishedAt: String, succeeded: Bool,
        result: WorkerResult? = nil, failureCause: String? = nil, message: String
    ) {
        self.jobName = jobName
        self.jobUID = jobUID
        self.workload = workload
        self.trigger = trigger
        self.finishedAt = finishedAt
        self.succeeded = succeeded
        self.result = result
        self.failureCause = failureCause
        self.message = message
    }

    /// The backup kind, when this run was a backup (not a check or a slot cleanup).
    public var backupKind: BackupKind? {
        guard trigger != "cleanup" else { return nil }
        if let workload { return workload.backupKind }
        return result?.command == "backup" ? result?.kind : nil
    }

    /// Whether this run was a `lifeboat check`.
    public var isCheck: Bool {
        workload == .check || (workload == nil && result?.command == "check")
    }

    /// Whether the backup succeeded but its retention step failed.
    public var pruneFailed: Bool {
        succeeded && result?.prune?.ok == false
    }

    /// The `status.recentRuns` entry of a backup run, or nil for other runs.
    public var recentRun: RecentRun? {
        guard let kind = backupKind else { return nil }
        var record: RunRecord
        if let result {
            record = RunRecord(result: result, jobName: jobName, fallbackTime: finishedAt)
        } else {
            record = RunRecord(time: finishedAt, jobName: jobName)
        }
        record.time = finishedAt
        record.message = message
        return RecentRun(kind: kind, outcome: succeeded ? .succeeded : .failed, record: record)
    }
}
