import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController

/// Jobs and Pods for the status tests, starting from the objects kube-apiserver v1.36 returned in the k8s-wire samples
/// (14c/14d: a CronJob's Job and Pod that succeeded; 15a/15b: a Job and Pod that failed with exit code 3).
enum StatusFixtures {
    static let samples = URL(fileURLWithPath: "/work/shared/k8s-wire")

    /// The JSON body of the last response in sample `file`, with `#` note lines left out.
    static func lastResponseBody(_ file: String) throws -> Data {
        let text = try String(contentsOf: samples.appendingPathComponent(file), encoding: .utf8)
        guard let range = text.range(of: "<<< response", options: .backwards) else { throw FixtureError("no response in \(file)") }
        let lines = text[range.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("{") }) else { throw FixtureError("no JSON body in \(file)") }
        let body = lines[start...].filter { !$0.hasPrefix("#") && !$0.hasPrefix("===") }.joined(separator: "\n")
        return Data(body.utf8)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ file: String) throws -> T {
        try JSONDecoder().decode(T.self, from: lastResponseBody(file))
    }

    struct FixtureError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Sample 14c's Job, renamed to a child of policy `orders` doing `kind` (the labels our jobTemplate carries).
    static func succeededJob(name: String = "orders-logical-29920912", kind: WorkloadKind = .logical, trigger: String = "schedule") throws -> Job {
        try relabel(decode(Job.self, "14c-cronjob-job-complete.txt"), name: name, kind: kind, trigger: trigger)
    }

    /// Sample 15a's Job (Failed, BackoffLimitExceeded), renamed the same way.
    static func failedJob(name: String = "orders-logical-29920913", kind: WorkloadKind = .logical) throws -> Job {
        try relabel(decode(Job.self, "15a-job-failed.txt"), name: name, kind: kind, trigger: "schedule")
    }

    static func relabel(_ job: Job, name: String, kind: WorkloadKind, trigger: String) -> Job {
        var job = job
        job.metadata.name = name
        job.metadata.uid = "uid-\(name)"
        var labels = job.metadata.labels ?? [:]
        labels.merge(WorkloadLabels.labels(policyName: "orders", kind: kind, trigger: trigger)) { _, new in new }
        labels["batch.kubernetes.io/job-name"] = name
        labels["job-name"] = name
        job.metadata.labels = labels
        return job
    }

    /// Sample 14d's Pod (terminated, exit 0), made a pod of `job` with termination `message`.
    static func succeededPod(of job: Job, message: String?) throws -> Pod {
        try pod(decode(Pod.self, "14d-cronjob-pod-succeeded.txt"), of: job, message: message)
    }

    /// Sample 15b's Pod (terminated, exit 3, reason Error), made a pod of `job`, with `message`, exit code and reason.
    static func failedPod(of job: Job, message: String?, exitCode: Int32 = 3, reason: String = "Error") throws -> Pod {
        var pod = try pod(decode(Pod.self, "15b-pod-failed.txt"), of: job, message: message)
        pod.status?.containerStatuses?[0].state?.terminated?.exitCode = exitCode
        pod.status?.containerStatuses?[0].state?.terminated?.reason = reason
        return pod
    }

    static func pod(_ sample: Pod, of job: Job, message: String?) -> Pod {
        var pod = sample
        pod.metadata.name = "\(job.metadata.name ?? "")-abcde"
        pod.metadata.ownerReferences = [OwnerReference(apiVersion: "batch/v1", kind: "Job", name: job.metadata.name ?? "", uid: job.metadata.uid ?? "", controller: true, blockOwnerDeletion: true)]
        pod.status?.containerStatuses?[0].state?.terminated?.message = message
        return pod
    }

    /// A worker result's termination message, with the trailing newline the kubelet keeps.
    static func message(_ result: WorkerResult) throws -> String {
        String(decoding: try result.terminationMessage(), as: UTF8.self) + "\n"
    }

    static func backupResult(id: String = "20261121T095200Z-1a2b", kind: BackupKind = .logical, finishedAt: String = "2026-11-21T09:52:01Z", prune: WorkerResult.Prune? = .init(ok: true, deleted: 1, kept: 7)) -> WorkerResult {
        WorkerResult(
            command: "backup", ok: true, backupId: id, kind: kind, databases: ["orders"], startedAt: "2026-11-21T09:51:00Z",
            finishedAt: finishedAt, durationSeconds: 61.5, sizeBytes: 1_048_576, storedBytes: 262_144, prune: prune
        )
    }

    /// A finished run as the reader would report it, for the computer's tests.
    static func run(_ job: String, at time: String, kind: BackupKind = .logical, ok: Bool = true, pruneOK: Bool = true, id: String? = nil) -> FinishedRun {
        let result = ok
            ? backupResult(id: id ?? "b-\(job)", kind: kind, finishedAt: time, prune: .init(ok: pruneOK, deleted: pruneOK ? 1 : 0, kept: 7, error: pruneOK ? nil : "repository refused the delete: AccessDenied"))
            : WorkerResult(command: "backup", ok: false, kind: kind, finishedAt: time, error: .init(code: "connection_failed", message: "could not connect to db-rw.prod.svc:5432: connection refused; check spec.server.host"))
        let message = ok ? "\(kind.rawValue) backup \(result.backupId ?? "") succeeded" : "\(kind.rawValue) backup job \(job) failed: \(result.error!.message)"
        return FinishedRun(
            jobName: job, jobUID: "uid-\(job)", workload: WorkloadKind(kind), trigger: "schedule", finishedAt: time, succeeded: ok, result: result,
            failureCause: ok ? nil : "connection_failed", message: message
        )
    }

    static func checkRun(_ job: String, at time: String, walHealthy: Bool?, lastLogical: String? = nil, shipped: String? = nil) -> FinishedRun {
        let check = WorkerResult.Check(lastLogicalBackupAt: lastLogical, walLastShipped: shipped, walLagBytes: walHealthy == nil ? nil : 4096, walHealthy: walHealthy, message: walHealthy == false ? "no WAL segment for 20m" : "ok")
        return FinishedRun(jobName: job, workload: .check, trigger: "schedule", finishedAt: time, succeeded: true,
                           result: WorkerResult(command: "check", ok: true, finishedAt: time, check: check), message: "ok")
    }

    static func date(_ text: String) -> Date { KubernetesTime.parse(text)! }

    /// A policy with a generation, uid and the given WAL mode / freshness.
    static func policy(wal: WALMode? = nil, freshness: String? = nil, generation: Int64 = 2) -> BackupPolicy {
        var policy = PolicySamples.minimal()
        policy.metadata.generation = generation
        policy.metadata.uid = "policy-uid"
        if let wal { policy.spec?.wal = WALSpec(mode: wal) }
        policy.spec?.freshness = freshness
        return policy
    }
}
