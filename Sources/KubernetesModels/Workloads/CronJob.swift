/// `batch/v1 CronJob`: runs a Job on a schedule.
public struct CronJob: KubernetesResource, HasStatus {
    /// `batch`/`v1`/`cronjobs`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", namespaced: true)
    /// `batch/v1`.
    public var apiVersion: String?
    /// `CronJob`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Desired schedule and Job template.
    public var spec: CronJobSpec?
    /// Observed state, written by the CronJob controller.
    public var status: CronJobStatus?

    /// Creates a CronJob with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: CronJobSpec? = nil, status: CronJobStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `batch/v1 CronJobSpec`.
public struct CronJobSpec: Codable, Sendable, Hashable {
    /// Cron expression, e.g. `0 2 * * *`.
    public var schedule: String
    /// IANA time zone, e.g. `Europe/Berlin` (not `CRON_TZ=` in the schedule: 422).
    public var timeZone: String?
    /// `Allow`, `Forbid` or `Replace`.
    public var concurrencyPolicy: String?
    /// Seconds after the scheduled time a missed run may still start.
    public var startingDeadlineSeconds: Int64?
    /// Stops scheduling new runs (server default false).
    public var suspend: Bool?
    /// Finished successful Jobs to keep (server default 3).
    public var successfulJobsHistoryLimit: Int32?
    /// Finished failed Jobs to keep (server default 1).
    public var failedJobsHistoryLimit: Int32?
    /// The Job each run creates.
    public var jobTemplate: JobTemplateSpec

    /// Creates a CronJob spec.
    public init(schedule: String, timeZone: String? = nil, concurrencyPolicy: String? = nil, startingDeadlineSeconds: Int64? = nil, suspend: Bool? = nil, successfulJobsHistoryLimit: Int32? = nil, failedJobsHistoryLimit: Int32? = nil, jobTemplate: JobTemplateSpec) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.concurrencyPolicy = concurrencyPolicy
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.suspend = suspend
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.jobTemplate = jobTemplate
    }
}

/// `batch/v1 JobTemplateSpec`: labels/annotations and spec of the Jobs a CronJob creates.
public struct JobTemplateSpec: Codable, Sendable, Hashable {
    /// Labels and annotations copied onto each Job (server default `{}`).
    public var metadata: ObjectMeta?
    /// The Job spec.
    public var spec: JobSpec?

    /// Creates a Job template.
    public init(metadata: ObjectMeta? = nil, spec: JobSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// `batch/v1 CronJobStatus`.
public struct CronJobStatus: Codable, Sendable, Hashable {
    /// Running Jobs (absent when none).
    public var active: [ObjectReference]?
    /// The last scheduled time (UTC, whole minute).
    public var lastScheduleTime: String?
    /// Completion time of the last successful Job.
    public var lastSuccessfulTime: String?

    /// Creates a status.
    public init(active: [ObjectReference]? = nil, lastScheduleTime: String? = nil, lastSuccessfulTime: String? = nil) {
        self.active = active
        self.lastScheduleTime = lastScheduleTime
        self.lastSuccessfulTime = lastSuccessfulTime
    }
}
