import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging

extension BackupPolicyReconciler {
    /// Creates missing children, updates those `ChildComparison` says differ (server defaults ignored), and deletes
    /// children no longer wanted (e.g. the base schedule was removed). Nothing is written when all is in place.
    func applyChildren(_ policy: BackupPolicy, logger: Logger) async throws -> ChildrenState {
        let desired: DesiredChildren
        do {
            desired = try DesiredChildren(policy: policy, settings: settings)
        } catch {
            return .failed("the children cannot be built: \(error)")
        }
        let namespace = policy.metadata.namespace ?? "default"
        var rejected: [String] = []
        for cronJob in desired.cronJobs {
            let key = ObjectKey(namespace: namespace, name: cronJob.metadata.name ?? "")
            let live = await caches.cronJobs.get(key)
            if let reason = try await applyReportingRejection(cronJob, logger: logger, { try await applyCronJob(cronJob, key: key, live: live, logger: logger) }) {
                rejected.append(reason)
            }
        }
        if let deployment = desired.deployment {
            let live = await caches.deployments.get(ObjectKey(namespace: namespace, name: deployment.metadata.name ?? ""))
            if let reason = try await applyReportingRejection(deployment, logger: logger, { try await apply(deployment, live: live, logger: logger) }) {
                rejected.append(reason)
            }
        }
        let wanted = Set(desired.cronJobs.compactMap(\.metadata.name) + [desired.deployment?.metadata.name].compactMap { $0 })
        for stale in await ownedChildren(of: policy, in: caches.cronJobs) where !wanted.contains(stale.metadata.name ?? "") {
            try await deleteChild(PartialObjectMetadata<CronJob>.self, stale, logger: logger)
            if let key = ObjectKey(stale) { await verified.forget(key) }
        }
        for stale in await ownedChildren(of: policy, in: caches.deployments) where !wanted.contains(stale.metadata.name ?? "") {
            try await deleteChild(Deployment.self, stale, logger: logger)
        }
        if !rejected.isEmpty { return .failed(rejected.joined(separator: "; ")) }
        // A child written just now is in place on the server; the cache catches up with the watch event, which
        // enqueues the policy again, and that reconcile finds nothing to do.
        return .ready
    }

    /// Applies `desired` when it is missing or differs from `live`; returns whether it wrote.
    @discardableResult
    func apply<Child: KubernetesResource>(_ desired: Child, live: Child?, logger: Logger) async throws -> Bool {
        if let live, try !ChildComparison.needsUpdate(desired: desired, live: live) { return false }
        _ = try await client.applyReturningMetadata(desired, force: true, fieldManager: Self.fieldManager)
        logger.info(live == nil ? "created child" : "updated child", metadata: ["k8s.child": "\(Child.descriptor.kind)/\(desired.metadata.name ?? "")"])
        return true
    }

    /// Applies a CronJob when it is missing or differs from its desired form; returns whether it wrote.
    ///
    /// The cache holds CronJobs as metadata only (a decoded CronJob costs about 8 KB, a thousand policies' children
    /// tens of MiB). A different desired-form hash means an update at once; with the same hash the whole object is read
    /// and compared only when its resourceVersion is not one this process already verified (`VerifiedChildren`), so
    /// a change made by someone else is still found and undone, and a quiet child costs no request.
    @discardableResult
    func applyCronJob(_ desired: CronJob, key: ObjectKey, live: PartialObjectMetadata<CronJob>?, logger: Logger) async throws -> Bool {
        let hash = ChildComparison.hashAnnotation
        if let live, live.metadata.annotations?[hash] == desired.metadata.annotations?[hash] {
            if await verified.isVerified(key, resourceVersion: live.metadata.resourceVersion) { return false }
            if let full = try await client.getIfExists(CronJob.self, name: key.name, namespace: key.namespace),
               try !ChildComparison.needsUpdate(desired: desired, live: full) {
                await verified.record(key, resourceVersion: full.metadata.resourceVersion)
                return false
            }
        }
        let written = try await client.applyReturningMetadata(desired, force: true, fieldManager: Self.fieldManager)
        await verified.record(key, resourceVersion: written.resourceVersion)
        logger.info(live == nil ? "created child" : "updated child", metadata: ["k8s.child": "CronJob/\(desired.metadata.name ?? "")"])
        return true
    }

    /// Runs `write` (an apply of `desired`), answering the API server's refusal (422 Invalid, 403 Forbidden) with
    /// words for `Ready` instead of throwing: retrying cannot fix it, a change to the spec or to the controller's
    /// permissions can. Other errors (conflicts, connection failures) are thrown and retried.
    func applyReportingRejection<Child: KubernetesResource>(_ desired: Child, logger: Logger, _ write: () async throws -> Bool) async throws -> String? {
        do {
            _ = try await write()
            return nil
        } catch let error as KubernetesError where error.isInvalid || error.isForbidden {
            logger.warning("child rejected by the API server", metadata: ["k8s.child": "\(Child.descriptor.kind)/\(desired.metadata.name ?? "")", "error": "\(error)"])
            let what = error.isForbidden ? "the controller may not write it (check its RBAC)" : "fix the policy's spec"
            return "the API server rejected \(Child.descriptor.kind) \(desired.metadata.name ?? ""): \(error.status?.message ?? error.message); \(what)"
        }
    }

    /// The children of `policy` in `informer`: labelled for it and controlled by its uid.
    func ownedChildren<Child: KubernetesResource>(of policy: BackupPolicy, in informer: Informer<Child>) async -> [Child] {
        let label = WorkloadLabels.policyLabelValue(policy.metadata.name ?? "")
        let namespace = policy.metadata.namespace ?? "default"
        // The caches index children by the policy label; an informer without that index is filtered in full.
        let labelled = informer.indexedLabel == WorkloadLabels.policy
            ? await informer.list(namespace: namespace, labelValue: label)
            : await informer.list(namespace: namespace).filter { $0.metadata.labels?[WorkloadLabels.policy] == label }
        return labelled.filter { child in
            (child.metadata.ownerReferences ?? []).contains { $0.uid == policy.metadata.uid && $0.controller == true }
        }
    }

    func deleteChild<Child: KubernetesResource>(_ type: Child.Type, _ child: Child, logger: Logger) async throws {
        do {
            _ = try await client.delete(Child.self, name: child.metadata.name ?? "", namespace: child.metadata.namespace,
                                        options: DeleteOptions(propagationPolicy: .background, preconditions: .init(uid: child.metadata.uid)))
            logger.info("deleted child no longer wanted", metadata: ["k8s.child": "\(Child.descriptor.kind)/\(child.metadata.name ?? "")"])
        } catch let error as KubernetesError where error.isNotFound {
            return
        }
    }

    /// Starts the on-demand backup asked for by the `lifeboat.dev/backup-now` annotation, once per token; returns the
    /// token to record as handled (nil when there is nothing new).
    func startBackupNow(_ policy: BackupPolicy, logger: Logger) async throws -> String? {
        guard let token = policy.metadata.annotations?[BackupPolicy.backupNowAnnotation], !token.isEmpty,
              token != policy.status?.handledBackupNowToken else { return nil }
        let job: Job
        do {
            job = try OnDemandBackupJobBuilder.build(policy, token: token, settings: settings)
        } catch {
            logger.warning("cannot build the on-demand Job", metadata: ["error": "\(error)"])
            return nil
        }
        do {
            _ = try await client.create(job, namespace: job.metadata.namespace)
            logger.info("started on-demand backup", metadata: ["k8s.job": "\(job.metadata.name ?? "")"])
        } catch let error as KubernetesError where error.isAlreadyExists {
            // Started before (a restart, a re-applied annotation): the same token never runs twice.
        }
        return token
    }
}

/// The children a valid policy wants, from the pure builders.
struct DesiredChildren {
    /// Backup CronJobs (one per scheduled kind) and the check CronJob.
    var cronJobs: [CronJob]
    /// The WAL stream Deployment in stream mode.
    var deployment: Deployment?

    init(policy: BackupPolicy, settings: BuilderSettings) throws(BuilderError) {
        var cronJobs: [CronJob] = []
        for kind in BackupKind.allCases {
            if let cronJob = try BackupCronJobBuilder.build(policy, kind: kind, settings: settings) { cronJobs.append(cronJob) }
        }
        cronJobs.append(try CheckCronJobBuilder.build(policy, settings: settings))
        self.cronJobs = cronJobs
        self.deployment = try WALStreamDeploymentBuilder.build(policy, settings: settings)
    }
}
