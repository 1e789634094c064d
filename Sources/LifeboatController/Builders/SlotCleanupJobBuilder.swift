import KubernetesModels
import LifeboatAPI

/// Builds the Job that drops the replication slot of a policy in stream mode while the policy is being deleted
/// (behind the controller's finalizer), so an abandoned slot never keeps WAL on the server until its disk fills.
///
/// The Job is owned by the policy: once it succeeded and the finalizer is removed, garbage collection removes it.
public enum SlotCleanupJobBuilder {
    /// The finalizer that holds a stream-mode policy until its slot is dropped.
    public static let finalizer = "lifeboat.dev/drop-replication-slot"

    /// The cleanup Job of `policy`, or nil when WAL mode is not `stream` (there is no slot to drop).
    public static func build(_ policy: BackupPolicy, settings: BuilderSettings) throws(BuilderError) -> Job? {
        let (name, _, spec) = try WorkerPodTemplate.parts(policy)
        guard spec.wal?.effectiveMode == .stream else { return nil }
        let args = ["wal-stream", "--slot", WALStreamDeploymentBuilder.slotName(policy), "--drop-slot"]
        var template = try WorkerPodTemplate.podTemplate(policy, kind: .walStream, trigger: "cleanup", args: args, restartPolicy: "Never", settings: settings)
        // Only the connection is needed, not the spool.
        template.spec?.volumes?.removeAll { $0.name == "spool" }
        template.spec?.containers[0].volumeMounts?.removeAll { $0.name == "spool" }
        let metadata = try WorkerPodTemplate.metadata(
            policy, name: ChildNames.shorten("\(name)-drop-slot", limit: ChildNames.workloadNameLimit), kind: .walStream, trigger: "cleanup"
        )
        // A few retries: the server may be briefly unreachable, and dropping a slot is idempotent.
        return Job(metadata: metadata, spec: JobSpec(backoffLimit: 3, activeDeadlineSeconds: 600, template: template))
    }
}
