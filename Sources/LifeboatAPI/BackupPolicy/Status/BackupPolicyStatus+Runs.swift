import KubernetesModels

extension RunRecord {
    /// The record of a finished backup run from the worker's result; `fallbackTime` is used when the result has no
    /// `finishedAt` (e.g. the Job's completion time).
    public init(result: WorkerResult, jobName: String?, fallbackTime: String) {
        self.init(
            time: result.finishedAt ?? fallbackTime,
            backupId: result.backupId,
            sizeBytes: result.sizeBytes,
            storedBytes: result.storedBytes,
            durationSeconds: result.durationSeconds,
            message: result.error.map { "\($0.message) (\($0.code))" } ?? Self.successMessage(result),
            jobName: jobName,
            prune: result.prune.map { PruneRecord(ok: $0.ok, deleted: $0.deleted, kept: $0.kept, error: $0.error) }
        )
    }

    private static func successMessage(_ result: WorkerResult) -> String? {
        guard result.ok else { return nil }
        let kind = result.kind?.rawValue ?? "backup"
        if let databases = result.databases, !databases.isEmpty {
            return "\(kind) backup of \(databases.count) database\(databases.count == 1 ? "" : "s") succeeded"
        }
        return "\(kind) backup succeeded"
    }
}

extension BackupPolicyStatus {
    /// Records a finished run: the last successful or failed record of its kind, and the bounded recent-runs list
    /// (newest first). Recording the same run twice (same job name and time) changes nothing, so a re-read of a kept
    /// Job after a controller restart is harmless.
    public mutating func record(_ run: RecentRun) {
        if let existing = recentRuns, existing.contains(where: { $0.kind == run.kind && $0.record.jobName == run.record.jobName && $0.record.time == run.record.time }) {
            return
        }
        switch run.outcome {
        case .succeeded:
            var last = lastSuccessful ?? RunsByKind()
            if (last[run.kind]?.time ?? "") <= run.record.time { last[run.kind] = run.record }
            lastSuccessful = last
        case .failed:
            var last = lastFailed ?? RunsByKind()
            if (last[run.kind]?.time ?? "") <= run.record.time { last[run.kind] = run.record }
            lastFailed = last
        }
        var runs = recentRuns ?? []
        runs.append(run)
        // RFC 3339 UTC timestamps with the same precision sort as strings.
        runs.sort { $0.record.time > $1.record.time }
        recentRuns = Array(runs.prefix(Self.recentRunsLimit))
    }
}
