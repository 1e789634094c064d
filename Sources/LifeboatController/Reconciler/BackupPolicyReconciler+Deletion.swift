import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging

extension BackupPolicyReconciler {
    /// In WAL stream mode the policy carries a finalizer, so its replication slot is dropped before it goes. When a
    /// policy leaves stream mode while it carries the finalizer, its slot is dropped the same way now (an abandoned
    /// slot keeps WAL on the server until its disk fills), and the finalizer goes afterwards.
    func reconcileFinalizer(_ policy: BackupPolicy, logger: Logger) async throws {
        let finalizers = policy.metadata.finalizers ?? []
        let holds = finalizers.contains(SlotCleanupJobBuilder.finalizer)
        if policy.spec?.wal?.effectiveMode == .stream {
            if !holds { try await setFinalizers(policy, finalizers + [SlotCleanupJobBuilder.finalizer]) }
            return
        }
        guard holds else { return }
        if try await dropSlot(policy, logger: logger) {
            try await setFinalizers(policy, finalizers.filter { $0 != SlotCleanupJobBuilder.finalizer })
            // A later return to stream mode and back gets a fresh cleanup Job.
            if let name = (try? cleanupJob(policy))??.metadata.name,
               let live = await caches.jobs.get(ObjectKey(namespace: policy.metadata.namespace, name: name)) {
                try await deleteChild(Job.self, live, logger: logger)
            }
        }
    }

    /// A policy being deleted: stop the WAL streamer, run the slot-cleanup Job, and remove the finalizer once it
    /// succeeded. Idempotent: every step checks what exists first. The children and the cleanup Job go with the
    /// policy through their ownerReferences; the backups in the repository stay.
    func finalize(_ policy: BackupPolicy, logger: Logger) async throws -> ReconcileResult {
        let finalizers = policy.metadata.finalizers ?? []
        guard finalizers.contains(SlotCleanupJobBuilder.finalizer) else { return .done }
        if try await dropSlot(policy, logger: logger) {
            try await setFinalizers(policy, finalizers.filter { $0 != SlotCleanupJobBuilder.finalizer })
            logger.info("replication slot dropped; finalizer removed")
        }
        return .done
    }

    /// The cleanup Job of `policy`'s slot, built as in stream mode (the slot name does not depend on the mode).
    func cleanupJob(_ policy: BackupPolicy) throws(BuilderError) -> Job? {
        var streaming = policy
        if streaming.spec?.wal == nil { streaming.spec?.wal = WALSpec() }
        streaming.spec?.wal?.mode = .stream
        return try SlotCleanupJobBuilder.build(streaming, settings: settings)
    }

    /// Stops the streamer and runs the slot-cleanup Job; answers whether the slot is dropped. A failed cleanup is
    /// announced (once per Job) and waits for the user: a new attempt starts when its Job is deleted.
    func dropSlot(_ policy: BackupPolicy, logger: Logger) async throws -> Bool {
        let namespace = policy.metadata.namespace ?? "default"
        let job: Job
        do {
            guard let built = try cleanupJob(policy) else { return true }
            job = built
        } catch {
            logger.warning("cannot build the slot cleanup Job; removing the finalizer", metadata: ["error": "\(error)"])
            return true
        }
        // pg_receivewal holds the slot while it runs; an active slot cannot be dropped.
        for streamer in await ownedChildren(of: policy, in: caches.deployments) {
            try await deleteChild(Deployment.self, streamer, logger: logger)
        }
        let name = job.metadata.name ?? ""
        guard let live = await caches.jobs.get(ObjectKey(namespace: namespace, name: name)) else {
            do {
                _ = try await client.create(job, namespace: namespace)
                logger.info("started the replication slot cleanup", metadata: ["k8s.job": "\(name)"])
            } catch let error as KubernetesError where error.isAlreadyExists {
                // Created by an earlier reconcile; the cache has not seen it yet.
            }
            return false
        }
        guard let run = RunResultReader.read(job: live, pods: await caches.pods.list(namespace: namespace)) else { return false }
        if RunResultReader.succeededCondition(live) != nil { return true }
        let note = "\(run.message). The slot \(WALStreamDeploymentBuilder.slotName(policy)) is not dropped yet: fix the cause and "
            + "delete Job \(name) to try again, or drop the slot yourself and remove the finalizer \(SlotCleanupJobBuilder.finalizer)."
        await events.record([PolicyEvent(type: .warning, reason: "SlotCleanupFailed", action: "DropSlot", note: note, relatedJobName: name)], about: policy, now: clock())
        return false
    }

    /// Writes `finalizers` with a merge patch guarded by the cached resourceVersion (a stale cache gets 409 and a retry).
    func setFinalizers(_ policy: BackupPolicy, _ finalizers: [String]) async throws {
        let patch = FinalizerPatch(metadata: .init(resourceVersion: policy.metadata.resourceVersion, finalizers: finalizers))
        _ = try await client.patch(BackupPolicy.self, name: policy.metadata.name ?? "", namespace: policy.metadata.namespace, mergePatch: patch)
    }
}

/// `{"metadata":{"resourceVersion":…,"finalizers":[…]}}`.
struct FinalizerPatch: Encodable, Sendable {
    struct Metadata: Encodable, Sendable {
        var resourceVersion: String?
        var finalizers: [String]
    }

    var metadata: Metadata
}
