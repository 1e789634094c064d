import ControllerRuntime
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging
import ServiceLifecycle

/// The informers the BackupPolicy reconciler reads from: the policies, the Secrets and claims they reference, and their
/// children. Jobs and Pods are watched by the `lifeboat.dev/policy` label that the job templates carry (the CronJob
/// controller creates the Jobs, so they are not owned by the policy).
public struct BackupPolicyCaches: Sendable {
    /// BackupPolicies.
    public let policies: Informer<BackupPolicy>
    /// Secrets, for validation: key names only, the values are dropped while decoding.
    public let secrets: Informer<SecretKeyNames>
    /// PersistentVolumeClaims, for validation.
    public let claims: Informer<PersistentVolumeClaim>
    /// CronJobs managed by lifeboat, as metadata only: the reconciler reads a whole CronJob when it must compare it.
    public let cronJobs: Informer<PartialObjectMetadata<CronJob>>
    /// WAL stream Deployments managed by lifeboat.
    public let deployments: Informer<Deployment>
    /// Jobs of policies (scheduled, on-demand, check, cleanup).
    public let jobs: Informer<Job>
    /// Pods of those Jobs.
    public let pods: Informer<Pod>

    /// Creates the informers (nothing runs until `services` are run); `namespace` nil watches every namespace.
    public init(client: KubernetesClient, namespace: String? = nil, watchTimeoutSeconds: Int = 300, logger: Logger = Logger(label: "lifeboat.informer")) {
        let managed = "\(WorkloadLabels.managedBy)=\(WorkloadLabels.managedByValue)"
        let ofPolicy = WorkloadLabels.policy
        // Cached objects drop managedFields (nothing here reads them; several KiB each), and children are indexed by
        // their policy label so a reconcile reads its own few children, not every child of the namespace.
        policies = Informer(BackupPolicy.self, client: client, namespace: namespace, watchTimeoutSeconds: watchTimeoutSeconds,
                            transform: Informer.withoutManagedFields, logger: logger)
        secrets = Informer(SecretKeyNames.self, client: client, namespace: namespace, watchTimeoutSeconds: watchTimeoutSeconds,
                           transform: Informer.withoutManagedFields, logger: logger)
        claims = Informer(PersistentVolumeClaim.self, client: client, namespace: namespace, watchTimeoutSeconds: watchTimeoutSeconds,
                          transform: Informer.withoutManagedFields, logger: logger)
        cronJobs = Informer(PartialObjectMetadata<CronJob>.self, client: client, namespace: namespace, labelSelector: managed, watchTimeoutSeconds: watchTimeoutSeconds,
                            indexedLabel: ofPolicy, transform: Informer.withoutManagedFields, logger: logger)
        deployments = Informer(Deployment.self, client: client, namespace: namespace, labelSelector: managed, watchTimeoutSeconds: watchTimeoutSeconds,
                               indexedLabel: ofPolicy, transform: Informer.withoutManagedFields, logger: logger)
        jobs = Informer(Job.self, client: client, namespace: namespace, labelSelector: ofPolicy, watchTimeoutSeconds: watchTimeoutSeconds,
                        indexedLabel: ofPolicy, transform: Informer.withoutManagedFields, logger: logger)
        pods = Informer(Pod.self, client: client, namespace: namespace, labelSelector: ofPolicy, watchTimeoutSeconds: watchTimeoutSeconds,
                        indexedLabel: ofPolicy, transform: Informer.withoutManagedFields, logger: logger)
    }

    /// Every informer as a service, to run in the same ServiceGroup as the controller (the policies' informer too).
    public var services: [any Service] { [policies, secrets, claims, cronJobs, deployments, jobs, pods] }

    /// Waits until every informer has listed once.
    public func waitUntilSynced() async throws {
        try await policies.waitUntilSynced()
        try await secrets.waitUntilSynced()
        try await claims.waitUntilSynced()
        try await cronJobs.waitUntilSynced()
        try await deployments.waitUntilSynced()
        try await jobs.waitUntilSynced()
        try await pods.waitUntilSynced()
    }

    /// Whether every informer has listed once. Until then a Secret or Job missing from a cache may just not be
    /// listed yet, so the reconciler must not conclude anything from its absence.
    public func hasSynced() async -> Bool {
        let policies = await policies.hasSynced, secrets = await secrets.hasSynced, claims = await claims.hasSynced
        let cronJobs = await cronJobs.hasSynced, deployments = await deployments.hasSynced, jobs = await jobs.hasSynced, pods = await pods.hasSynced
        return policies && secrets && claims && cronJobs && deployments && jobs && pods
    }

    /// Makes changes to children and referenced objects enqueue their policy in `controller`'s queue.
    public func connect(to controller: Controller<BackupPolicy>) async {
        await controller.watch(cronJobs, keys: Self.policyKey)
        await controller.watch(deployments, keys: Self.policyKey)
        await controller.watch(jobs, keys: Self.policyKey)
        await controller.watch(pods, keys: Self.policyKey)
        // A Secret or claim appearing or changing re-validates the policies of its namespace that reference it.
        let policies = self.policies
        await secrets.addEventHandler { [queue = controller.queue] event in
            for key in await Self.referencing(secret: event.object, in: policies) { await queue.add(key) }
        }
        await claims.addEventHandler { [queue = controller.queue] event in
            for key in await Self.referencing(claim: event.object, in: policies) { await queue.add(key) }
        }
    }

    /// The policy of a child: the full name from the `lifeboat.dev/policy-name` annotation when present (label
    /// values are shortened past 63 characters), otherwise the `lifeboat.dev/policy` label.
    public static func policyKey<R: KubernetesResource>(_ child: R) -> [ObjectKey] {
        let name = child.metadata.annotations?[WorkloadLabels.policyNameAnnotation] ?? child.metadata.labels?[WorkloadLabels.policy]
        guard let name, !name.isEmpty else { return [] }
        return [ObjectKey(namespace: child.metadata.namespace, name: name)]
    }

    static func referencing(secret: SecretKeyNames, in policies: Informer<BackupPolicy>) async -> [ObjectKey] {
        guard let namespace = secret.metadata.namespace, let name = secret.metadata.name else { return [] }
        return await policies.list(namespace: namespace).filter { policy in
            policy.spec?.secretReferences.contains { $0.name == name } ?? false
        }.compactMap { ObjectKey($0) }
    }

    static func referencing(claim: PersistentVolumeClaim, in policies: Informer<BackupPolicy>) async -> [ObjectKey] {
        guard let namespace = claim.metadata.namespace, let name = claim.metadata.name else { return [] }
        return await policies.list(namespace: namespace).filter { policy in
            policy.spec?.claimReferences.contains { $0.name == name } ?? false
        }.compactMap { ObjectKey($0) }
    }
}
