import Foundation
import KubernetesModels
import LifeboatAPI

/// What the WAL streamer's pods say right now: nothing, or why the streamer is not running. Pure.
///
/// The check run measures WAL shipping every few minutes; a streamer that keeps crashing is known sooner from its pod
/// (`CrashLoopBackOff`, or a terminated container whose termination message is the worker's error).
public enum StreamHealth {
    /// Why the streamer of a policy is failing, from `pods` (any pods; only running-mode `wal-stream` ones count), or
    /// nil when it is running or has not started.
    public static func failure(in pods: [Pod]) -> String? {
        let streamers = pods.filter {
            $0.metadata.labels?[WorkloadLabels.kind] == WorkloadKind.walStream.rawValue && $0.metadata.labels?[WorkloadLabels.trigger] != "cleanup"
                && $0.metadata.deletionTimestamp == nil
        }
        for pod in streamers {
            for status in pod.status?.containerStatuses ?? [] {
                let name = pod.metadata.name ?? "the WAL stream pod"
                if let terminated = status.state?.terminated, terminated.exitCode != 0 {
                    return "WAL streamer \(name) stopped with exit code \(terminated.exitCode): \(said(terminated))"
                }
                if let waiting = status.state?.waiting, waiting.reason == "CrashLoopBackOff" {
                    let last = status.lastState?.terminated.map { ": \(said($0))" } ?? ""
                    // No restart count: it grows with every crash and would rewrite the status each time.
                    return "WAL streamer \(name) keeps crashing (CrashLoopBackOff)\(last)"
                }
            }
        }
        return nil
    }

    /// The worker's error from a termination message, or the raw message, or the container's reason.
    static func said(_ terminated: ContainerStateTerminated) -> String {
        let text = (terminated.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let result = try? WorkerResult.decode(terminationMessage: text), let error = result.error {
            return "\(error.message) (\(error.code))"
        }
        if !text.isEmpty { return RunResultReader.quoted(text) }
        return terminated.reason ?? "no message; see `kubectl logs` of the pod"
    }
}
