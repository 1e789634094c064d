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
            schedule: schedule(for: policy),
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

    /// The check's cron schedule. The default (every 15 minutes) is offset by a minute derived from the policy's
    /// namespace and name, so a thousand policies do not start a thousand check pods in the same minute.
    public static func schedule(for policy: BackupPolicy) -> String {
        let written = policy.spec?.check?.effectiveSchedule ?? CheckSpec.defaultSchedule
        guard written == CheckSpec.defaultSchedule else { return written }
        let seed = "\(policy.metadata.namespace ?? "")/\(policy.metadata.name ?? "")/check"
        return "\(SeededSchedule.mix(StableHash.fnv1a64(seed)) % 15)/15 * * * *"
    }
}
