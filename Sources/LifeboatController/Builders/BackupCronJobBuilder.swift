import KubernetesModels
import LifeboatAPI

/// Builds the CronJob that runs `lifeboat backup --kind logical|base` (with its prune step) on the policy's schedule.
public enum BackupCronJobBuilder {
    /// The CronJob for `kind`, or nil when the policy has no schedule for it.
    public static func build(_ policy: BackupPolicy, kind: BackupKind, settings: BuilderSettings) throws(BuilderError) -> CronJob? {
        let (name, namespace, spec) = try WorkerPodTemplate.parts(policy)
        guard let schedule = spec.schedules[kind] else { return nil }
        let workload = WorkloadKind(kind)
        let cronJobName = ChildNames.cronJob(policyName: name, kind: workload)
        let template = try WorkerPodTemplate.podTemplate(policy, kind: workload, args: arguments(spec, kind: kind), restartPolicy: "Never", settings: settings)
        let jobSpec = JobSpec(backoffLimit: settings.backoffLimit, activeDeadlineSeconds: settings.activeDeadlineSeconds, template: template)
        let cronSpec = CronJobSpec(
            schedule: SeededSchedule.resolve(schedule.schedule, namespace: namespace, name: name, salt: kind.rawValue),
            timeZone: schedule.timeZone,
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: settings.startingDeadlineSeconds,
            suspend: schedule.suspend ?? false,
            successfulJobsHistoryLimit: settings.successfulJobsHistoryLimit,
            failedJobsHistoryLimit: settings.failedJobsHistoryLimit,
            jobTemplate: JobTemplateSpec(
                metadata: ObjectMeta(labels: WorkloadLabels.labels(policyName: name, kind: workload), annotations: [WorkloadLabels.policyNameAnnotation: name]),
                spec: jobSpec
            )
        )
        return ChildComparison.stamped(CronJob(metadata: try WorkerPodTemplate.metadata(policy, name: cronJobName, kind: workload), spec: cronSpec))
    }

    /// `backup --kind … --compression … [--database …|--all-databases] [--prune --keep-… …]`: the worker's own
    /// options (see `lifeboat backup --help`), settings only, never a secret.
    public static func arguments(_ spec: BackupPolicySpec, kind: BackupKind) -> [String] {
        var args = ["backup", "--kind", kind.rawValue]
        let compression = spec.compression
        args += ["--compression", (compression?.effectiveAlgorithm ?? CompressionSpec.defaultAlgorithm).rawValue]
        if let level = compression?.level { args += ["--compression-level", String(level)] }
        if kind == .logical {
            if spec.server.all == true {
                args.append("--all-databases")
            } else {
                for database in spec.server.databases ?? [] { args += ["--database", database] }
            }
        }
        args += pruneArguments(spec.retention)
        return args
    }

    /// The prune step's options (none when the policy has no retention: nothing is deleted).
    static func pruneArguments(_ retention: RetentionSpec?) -> [String] {
        guard let retention else { return [] }
        var args = ["--prune"]
        let flags = ["keepLast": "--keep-last", "daily": "--keep-daily", "weekly": "--keep-weekly", "monthly": "--keep-monthly", "yearly": "--keep-yearly"]
        for (field, value) in retention.counts {
            if let value, let flag = flags[field] { args += [flag, String(value)] }
        }
        if let maxAge = retention.maxAge { args += ["--max-age", maxAge] }
        return args
    }
}
