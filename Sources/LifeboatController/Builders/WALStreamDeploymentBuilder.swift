import Foundation

import KubernetesModels
import LifeboatAPI

/// Builds the Deployment that runs `lifeboat wal-stream` when `spec.wal.mode` is `stream`.
public enum WALStreamDeploymentBuilder {
    /// The replication slot used by `policy`: `spec.wal.slotName`, or `lifeboat_<namespace>_<name>` made slot-safe.
    public static func slotName(_ policy: BackupPolicy) -> String {
        if let slot = policy.spec?.wal?.slotName { return slot }
        let raw = "lifeboat_\(policy.metadata.namespace ?? "")_\(policy.metadata.name ?? "")"
        let safe = String(raw.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" })
        return ChildNames.shorten(safe, limit: 63).replacingOccurrences(of: "-", with: "_")
    }

    /// The Deployment, or nil when WAL mode is not `stream`.
    public static func build(_ policy: BackupPolicy, settings: BuilderSettings) throws(BuilderError) -> Deployment? {
        let (name, _, spec) = try WorkerPodTemplate.parts(policy)
        guard spec.wal?.effectiveMode == .stream else { return nil }
        let args = ["wal-stream", "--slot", slotName(policy), "--spool", WorkerPodTemplate.spoolMountPath]
        let template = try WorkerPodTemplate.podTemplate(policy, kind: .walStream, args: args, restartPolicy: "Always", settings: settings)
        let selector = LabelSelector(matchLabels: [
            WorkloadLabels.policy: WorkloadLabels.policyLabelValue(name),
            WorkloadLabels.kind: WorkloadKind.walStream.rawValue,
        ])
        // Recreate, never two streamers: two pg_receivewal on one slot fight over it and one of them fails.
        let deploymentSpec = DeploymentSpec(replicas: 1, selector: selector, template: template, strategy: DeploymentStrategy(type: "Recreate"))
        return ChildComparison.stamped(Deployment(
            metadata: try WorkerPodTemplate.metadata(policy, name: ChildNames.walStreamDeployment(policyName: name), kind: .walStream),
            spec: deploymentSpec
        ))
    }
}
