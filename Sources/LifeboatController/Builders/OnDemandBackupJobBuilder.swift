import KubernetesModels
import LifeboatAPI

/// Builds the Job that runs a backup asked for with the `lifeboat.dev/backup-now` annotation.
///
/// The Job's name derives from the token, so creating it twice (a controller restart, a GitOps tool re-applying the
/// annotation) fails with AlreadyExists instead of running a second backup.
public enum OnDemandBackupJobBuilder {
    /// The Job for `token` and `kind` (default logical when the policy schedules logical backups, otherwise base).
    public static func build(_ policy: BackupPolicy, token: String, kind: BackupKind? = nil, settings: BuilderSettings) throws(BuilderError) -> Job {
        let (name, _, spec) = try WorkerPodTemplate.parts(policy)
        guard !token.isEmpty else { throw BuilderError("the \(BackupPolicy.backupNowAnnotation) annotation is empty; set it to a new value to start a backup") }
        let backupKind = kind ?? (spec.schedules.logical != nil || spec.schedules.base == nil ? .logical : .base)
        let workload = WorkloadKind(backupKind)
        let template = try WorkerPodTemplate.podTemplate(
            policy, kind: workload, trigger: "backup-now", args: BackupCronJobBuilder.arguments(spec, kind: backupKind), restartPolicy: "Never", settings: settings
        )
        let metadata = try WorkerPodTemplate.metadata(
            policy, name: ChildNames.onDemandJob(policyName: name, kind: backupKind, token: token), kind: workload, trigger: "backup-now",
            annotations: [WorkloadLabels.backupNowTokenAnnotation: token]
        )
        return Job(metadata: metadata, spec: JobSpec(backoffLimit: settings.backoffLimit, activeDeadlineSeconds: settings.activeDeadlineSeconds, template: template))
    }
}
