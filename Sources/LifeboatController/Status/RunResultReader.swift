import Foundation
import KubernetesModels
import LifeboatAPI

/// Turns a finished worker Job and its Pods into a `FinishedRun`: the decoded termination-message result, or, when
/// the message is missing or unreadable, a failure that says what happened and where to look. Pure.
///
/// A backup is reported as succeeded only when the worker said so in a readable result. A Job that completed without
/// a readable result is a failure (nothing proves a backup was stored). A backup whose prune step failed exits with
/// code 4, so its Job fails, but the result says `ok: true` with `prune.ok: false`: the backup counts as succeeded and
/// the prune failure is reported apart.
public enum RunResultReader {
    /// The longest piece of an unreadable termination message quoted in a failure message.
    static let quotedMessageLimit = 200

    /// Whether `job` has finished (Complete/SuccessCriteriaMet or Failed/FailureTarget is True).
    public static func isFinished(_ job: Job) -> Bool {
        succeededCondition(job) != nil || failedCondition(job) != nil
    }

    /// The run `job` reported, or nil while it is still running. `pods` may contain unrelated pods; only those
    /// belonging to the Job (by owner uid or `job-name` label) are read.
    public static func read(job: Job, pods: [Pod]) -> FinishedRun? {
        let succeeded = succeededCondition(job) != nil
        let failed = failedCondition(job)
        guard succeeded || failed != nil else { return nil }
        let name = job.metadata.name ?? "unnamed"
        let labels = job.metadata.labels ?? [:]
        let workload = labels[WorkloadLabels.kind].flatMap(WorkloadKind.init(rawValue:))
        let trigger = labels[WorkloadLabels.trigger]
        let terminated = terminatedContainer(of: ownPods(of: job, in: pods))
        let rawMessage = terminated?.message ?? ""
        let trimmed = rawMessage.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = trimmed.isEmpty ? nil : try? WorkerResult.decode(terminationMessage: trimmed)
        let finishedAt = result?.finishedAt.flatMap(normalized)
            ?? job.status?.completionTime
            ?? failed?.lastTransitionTime
            ?? job.status?.condition("SuccessCriteriaMet")?.lastTransitionTime
            ?? terminated?.finishedAt
            ?? job.metadata.creationTimestamp
            ?? "1970-01-01T00:00:00Z"
        var run = FinishedRun(jobName: name, jobUID: job.metadata.uid, workload: workload, trigger: trigger, finishedAt: finishedAt, succeeded: false, result: result, message: "")
        let what = noun(for: run)
        let logs = "see `kubectl logs job/\(name) -n \(job.metadata.namespace ?? "default")`"

        if let result {
            if result.ok && (succeeded || result.prune?.ok == false) {
                run.succeeded = true
                run.message = successMessage(result, what: what, jobName: name)
            } else if result.ok {
                run.failureCause = failed?.reason ?? "JobFailed"
                run.message = "\(what) \(name) reported success but the Job failed (\(failed?.reason ?? "unknown reason")"
                    + "\(failed?.message.map { ": \($0)" } ?? "")), so the backup cannot be trusted; \(logs)"
            } else if let error = result.error {
                run.failureCause = error.code
                run.message = "\(what) \(name) failed: \(error.message) (\(error.code)); \(logs)"
            } else {
                run.failureCause = "Error"
                run.message = "\(what) \(name) failed without saying why; \(logs)"
            }
            return run
        }

        // No readable result: say what Kubernetes knows.
        if let terminated, terminated.reason == "OOMKilled" {
            run.failureCause = "OOMKilled"
            run.message = "\(what) \(name) ran out of memory (OOMKilled, exit code \(terminated.exitCode)) and wrote no result; "
                + "raise spec.pod.resources.limits.memory; \(logs)"
        } else if failed?.reason == "DeadlineExceeded" {
            run.failureCause = "DeadlineExceeded"
            run.message = "\(what) \(name) ran longer than its deadline (activeDeadlineSeconds\(job.spec?.activeDeadlineSeconds.map { " = \($0)s" } ?? "")) "
                + "and was stopped (DeadlineExceeded) before writing a result; \(logs)"
        } else if let terminated, terminated.exitCode != 0 {
            run.failureCause = terminated.reason ?? "Error"
            let said = trimmed.isEmpty ? "wrote no result" : "wrote no readable result (its termination message says: \"\(quoted(trimmed))\")"
            run.message = "\(what) \(name) failed with exit code \(terminated.exitCode) (\(terminated.reason ?? "Error")) and \(said); \(logs)"
        } else if let failed {
            run.failureCause = failed.reason ?? "JobFailed"
            run.message = "\(what) \(name) failed (\(failed.reason ?? "Failed")\(failed.message.map { ": \($0)" } ?? "")) and no finished pod "
                + "with a result is left to read; see `kubectl describe job/\(name) -n \(job.metadata.namespace ?? "default")`"
        } else {
            run.failureCause = "NoResult"
            let said = trimmed.isEmpty ? "no result" : "no readable result (its termination message says: \"\(quoted(trimmed))\")"
            run.message = "\(what) \(name) completed but left \(said), so nothing proves a backup was stored; \(logs)"
        }
        return run
    }

    /// How long a finished Job whose Pod is not in the cache yet is left unrecorded, waiting for the Pod's final state.
    public static let podGracePeriod: TimeInterval = 60

    /// The runs of the finished Jobs among `jobs`, and whether one was left for later: recording "no result" is
    /// final, so a Job that finished less than `gracePeriod` ago and whose Pod is not among `pods` yet is skipped.
    public static func readAll(jobs: [Job], pods: [Pod], now: Date, gracePeriod: TimeInterval = podGracePeriod) -> (runs: [FinishedRun], waitingForPods: Bool) {
        var runs: [FinishedRun] = []
        var waiting = false
        for job in jobs where isFinished(job) {
            if !hasTerminatedPod(job, in: pods), let finished = finishTime(job), now.timeIntervalSince(finished) < gracePeriod {
                waiting = true
                continue
            }
            if let run = read(job: job, pods: pods) { runs.append(run) }
        }
        return (runs, waiting)
    }

    /// Whether a finished container of `job` is among `pods`. The Job and Pod caches are fed by separate watches, so
    /// a Job can be seen finished before its Pod's final state arrives; the reconciler waits a little for the Pod
    /// rather than recording "no result".
    public static func hasTerminatedPod(_ job: Job, in pods: [Pod]) -> Bool {
        terminatedContainer(of: ownPods(of: job, in: pods)) != nil
    }

    /// When `job` finished (completion or failure time), if it says.
    public static func finishTime(_ job: Job) -> Date? {
        let text = job.status?.completionTime ?? failedCondition(job)?.lastTransitionTime ?? succeededCondition(job)?.lastTransitionTime
        return text.flatMap(KubernetesTime.parse)
    }

    /// Complete or SuccessCriteriaMet, when True.
    static func succeededCondition(_ job: Job) -> JobCondition? {
        job.status?.conditions?.first { ($0.type == "Complete" || $0.type == "SuccessCriteriaMet") && $0.status == "True" }
    }

    /// Failed (preferred) or FailureTarget, when True.
    static func failedCondition(_ job: Job) -> JobCondition? {
        let conditions = job.status?.conditions ?? []
        return conditions.first { $0.type == "Failed" && $0.status == "True" }
            ?? conditions.first { $0.type == "FailureTarget" && $0.status == "True" }
    }

    /// The pods of `job`: controlled by its uid, or labelled with its name when the uid is unknown.
    static func ownPods(of job: Job, in pods: [Pod]) -> [Pod] {
        pods.filter { pod in
            if let uid = job.metadata.uid, let owners = pod.metadata.ownerReferences, !owners.isEmpty {
                return owners.contains { $0.uid == uid }
            }
            let labels = pod.metadata.labels ?? [:]
            let name = job.metadata.name
            return name != nil && (labels["batch.kubernetes.io/job-name"] == name || labels["job-name"] == name)
        }
    }

    /// The terminated state of the newest finished worker container: its result is the run's last word.
    static func terminatedContainer(of pods: [Pod]) -> ContainerStateTerminated? {
        let states = pods.flatMap { pod in (pod.status?.containerStatuses ?? []).compactMap { $0.state?.terminated } }
        return states.max { ($0.finishedAt ?? "") < ($1.finishedAt ?? "") }
    }

    /// "backup job", "check job" or "cleanup job".
    static func noun(for run: FinishedRun) -> String {
        if run.trigger == "cleanup" { return "slot cleanup job" }
        if let kind = run.workload?.backupKind { return "\(kind.rawValue) backup job" }
        if run.workload == .check { return "check job" }
        return "job"
    }

    static func successMessage(_ result: WorkerResult, what: String, jobName: String) -> String {
        guard result.command == "backup" else {
            return result.check?.message ?? "\(what) \(jobName) succeeded"
        }
        var parts = ["\(result.kind?.rawValue ?? "") backup \(result.backupId ?? "(no id)") succeeded".trimmingCharacters(in: .whitespaces)]
        if let size = result.sizeBytes { parts.append("\(ByteCount.text(size)) read") }
        if let stored = result.storedBytes { parts.append("\(ByteCount.text(stored)) stored") }
        if let seconds = result.durationSeconds { parts.append("in \(DurationText.text(seconds))") }
        var message = parts.joined(separator: ", ")
        if let prune = result.prune {
            message += prune.ok
                ? "; prune deleted \(prune.deleted ?? 0), kept \(prune.kept ?? 0)"
                : "; but the retention (prune) step failed: \(prune.error ?? "no reason given"); old backups are kept until a prune succeeds"
        }
        return message
    }

    /// `text` cut to `quotedMessageLimit` characters.
    static func quoted(_ text: String) -> String {
        text.count <= quotedMessageLimit ? text : String(text.prefix(quotedMessageLimit)) + "…"
    }

    /// An RFC 3339 time re-written as whole-second UTC, or nil when unreadable.
    static func normalized(_ text: String) -> String? {
        KubernetesTime.parse(text).map(KubernetesTime.format)
    }
}
