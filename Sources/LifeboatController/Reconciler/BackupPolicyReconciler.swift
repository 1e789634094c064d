import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging

/// Reconciles one BackupPolicy: validates it, applies its children (CronJobs, the WAL stream Deployment), starts
/// on-demand backups, records finished runs in status, emits Events and sets metrics. Level-triggered: it reads the
/// policy and its world from the caches and never depends on which event woke it; a second run in a row writes nothing.
///
/// - Invalid spec: `Ready=False` naming the field, one Warning Event, no children, and `.done` (no retry loop: a
///   change to the policy or to a referenced Secret or claim enqueues it again).
/// - Status is written through `/status` with the cached resourceVersion, and only when it changed; a 409 is thrown
///   and the controller requeues soon. Events are written after the status, so a lost race does not announce twice.
/// - Requeues for the freshness deadline and the next scheduled run.
public struct BackupPolicyReconciler: Reconciler {
    /// The field manager of server-side applies.
    public static let fieldManager = "lifeboat-controller"

    let client: KubernetesClient
    let caches: BackupPolicyCaches
    let settings: BuilderSettings
    let events: EventRecorder
    let metrics: BackupMetrics
    let clock: @Sendable () -> Date
    let logger: Logger
    /// The CronJobs found in their desired form, by resourceVersion.
    let verified = VerifiedChildren()

    /// Creates the reconciler.
    ///
    /// - Parameters:
    ///   - client: the API client (writes).
    ///   - caches: the informers (reads).
    ///   - settings: controller-wide settings of the children.
    ///   - events: where Events go.
    ///   - metrics: where the backup gauges go.
    ///   - clock: the wall clock (tests pass a fixed one).
    ///   - logger: one line per action (`k8s.namespace`, `k8s.name`).
    public init(
        client: KubernetesClient, caches: BackupPolicyCaches, settings: BuilderSettings, events: EventRecorder, metrics: BackupMetrics = BackupMetrics(),
        clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "lifeboat.backuppolicy")
    ) {
        self.client = client
        self.caches = caches
        self.settings = settings
        self.events = events
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    /// Reconciles the policy `key`.
    public func reconcile(_ key: ObjectKey) async throws -> ReconcileResult {
        // The controller waits for the policies' cache only; a Secret not listed yet is not a missing Secret.
        guard await caches.hasSynced() else { return .requeue(after: .milliseconds(100)) }
        guard let policy = await caches.policies.get(key) else {
            metrics.forget(namespace: key.namespace ?? "default", name: key.name)
            return .done
        }
        var logger = self.logger
        logger[metadataKey: "k8s.namespace"] = "\(key.namespace ?? "")"
        logger[metadataKey: "k8s.name"] = "\(key.name)"
        if policy.metadata.deletionTimestamp != nil {
            return try await finalize(policy, logger: logger)
        }
        let namespace = policy.metadata.namespace ?? "default"
        let problems = PolicyValidator.validate(policy, lookups: await SnapshotLookups.snapshot(namespace: namespace, caches: caches))
        var observation = StatusObservation(problems: problems, children: .notApplied)
        var requeueSoon = false
        if problems.isEmpty {
            try await reconcileFinalizer(policy, logger: logger)
            let outcome = try await applyChildren(policy, logger: logger)
            observation.children = outcome
            if case .pending = outcome { requeueSoon = true }
            observation.handledBackupNowToken = try await startBackupNow(policy, logger: logger)
        } else {
            logger.debug("invalid spec; no children", metadata: ["problems": "\(problems.map(\.description))"])
        }
        let now = clock()
        let (runs, waitingForPods) = await finishedRuns(of: policy, now: now)
        observation.finishedRuns = runs
        if policy.spec?.wal?.effectiveMode == .stream {
            let label = WorkloadLabels.policyLabelValue(policy.metadata.name ?? "")
            observation.streamFailure = StreamHealth.failure(in: await caches.pods.list(namespace: namespace, labelValue: label))
        }
        if waitingForPods { requeueSoon = true }

        let update = StatusComputer(policy: policy, now: now).compute(current: policy.status, observation: observation)
        // A run's outcome is announced before the status that records it is stored: a controller stopped between the
        // two would otherwise record a run whose Event never comes (the next one finds it recorded; seen in a test).
        // Event names derive from the run, so announcing it again after a lost race or a restart is a 409, not a copy.
        let runEvents = update.events.filter { $0.action == PolicyEvent.recordRunAction }
        await events.record(runEvents, about: policy, now: now)
        if update.changed {
            var written = policy
            written.status = update.status
            _ = try await client.replaceStatusReturningMetadata(written)
            for run in update.recorded {
                logger.info("recorded run", metadata: ["k8s.job": "\(run.jobName)", "backup.succeeded": "\(run.succeeded)", "backup.id": "\(run.result?.backupId ?? "")"])
            }
        }
        // Other Events (condition flips) only once the status that records them is stored: their names carry the
        // transition time, so a lost race (409) recomputes and announces then.
        await events.record(update.events.filter { $0.action != PolicyEvent.recordRunAction }, about: policy, now: now)
        metrics.record(update.metrics, namespace: namespace, name: policy.metadata.name ?? key.name)

        if requeueSoon { return .requeue(after: .seconds(2)) }
        guard problems.isEmpty else { return .done }
        guard let seconds = update.secondsUntilDue(now: now) else { return .done }
        return .requeue(after: .milliseconds(Int64(seconds * 1000)))
    }

    /// The finished Jobs of `policy` (by label, in its namespace) read into runs with their Pods, and whether a Job
    /// was left for later because its Pod has not reached the cache yet.
    func finishedRuns(of policy: BackupPolicy, now: Date) async -> (runs: [FinishedRun], waitingForPods: Bool) {
        let namespace = policy.metadata.namespace ?? "default"
        let label = WorkloadLabels.policyLabelValue(policy.metadata.name ?? "")
        let jobs = await caches.jobs.list(namespace: namespace, labelValue: label)
        guard jobs.contains(where: RunResultReader.isFinished) else { return ([], false) }
        let pods = await caches.pods.list(namespace: namespace, labelValue: label)
        return RunResultReader.readAll(jobs: jobs, pods: pods, now: now)
    }
}
