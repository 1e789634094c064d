import KubernetesModels
import LifeboatAPI

/// Builds the CronJob that runs `lifeboat check --json`, the source of BackupFresh and WALArchiving.
public enum CheckCronJobBuilder {
    /// The check CronJob of `policy`.
    public static func build(_ policy: BackupPolicy, settings: BuilderSettings) throws(BuilderError) -> CronJob {
        let (name, _, spec) = try WorkerPodTemplate.parts(policy)
        let args = ["check", "--json", "--freshness", spec.effectiveFreshness, "--wal-mode", (spec.wal?.effectiveMode ?? WALSpec.defaultMode).rawValue]
        let template = try WorkerPodTemplate.podTemplate(policy, kind: .check, args: args, restartPolicy: "Never", settings: settings)
        let cronSpec = CronJobSpec(
            schedule: spec.check?.effectiveSchedule ?? CheckSpec.defaultSchedule,
            timeZone: nil,
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: settings.startingDeadlineSeconds,
            suspend: false,
            successfulJobsHistoryLimit: settings.successfulJobsHistoryLimit,
            failedJobsHistoryLimit: settings.failedJobsHistoryLimit,
            jobTemplate: JobTemplateSpec(
                metadata: ObjectMeta(labels: WorkloadLabels.labels(policyName: name, kind: .check), annotations: [WorkloadLabels.policyNameAnnotation: name]),
                spec: JobSpec(backoffLimit: 0, activeDeadlineSeconds: 600, template: template)
            )
        )
        return ChildComparison.stamped(CronJob(metadata: try WorkerPodTemplate.metadata(policy, name: ChildNames.cronJob(policyName: name, kind: .check), kind: .check), spec: cronSpec))
    }
}
