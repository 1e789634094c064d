/// Controller-wide settings of the children the builders make (flags of `lifeboat-controller`).
public struct BuilderSettings: Sendable, Hashable {
    /// Worker image used when a policy sets none, normally the controller's own version.
    public var defaultImage: String
    /// Pull policy when a policy sets none (nil: the server's default).
    public var defaultImagePullPolicy: String?
    /// ServiceAccount of worker pods when a policy sets none (nil: the namespace's default account).
    public var defaultServiceAccountName: String?
    /// How late a missed scheduled run may still start.
    public var startingDeadlineSeconds: Int64
    /// Finished Jobs kept per CronJob, so results can still be read after a controller outage.
    public var successfulJobsHistoryLimit: Int32
    /// Failed Jobs kept per CronJob.
    public var failedJobsHistoryLimit: Int32
    /// Retries of a failed backup pod (0: a failure is reported, the next schedule tries again).
    public var backoffLimit: Int32
    /// Longest a backup Job may run before it is stopped (nil: no limit).
    public var activeDeadlineSeconds: Int64?
    /// Non-root user and group of the worker.
    public var runAsUser: Int64

    /// Creates settings with safe defaults.
    public init(
        defaultImage: String, defaultImagePullPolicy: String? = nil, defaultServiceAccountName: String? = nil,
        startingDeadlineSeconds: Int64 = 300, successfulJobsHistoryLimit: Int32 = 3, failedJobsHistoryLimit: Int32 = 3,
        backoffLimit: Int32 = 0, activeDeadlineSeconds: Int64? = nil, runAsUser: Int64 = 65_532
    ) {
        self.defaultImage = defaultImage
        self.defaultImagePullPolicy = defaultImagePullPolicy
        self.defaultServiceAccountName = defaultServiceAccountName
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.backoffLimit = backoffLimit
        self.activeDeadlineSeconds = activeDeadlineSeconds
        self.runAsUser = runAsUser
    }
}
