import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging

extension BackupPolicyReconciler {
    /// In WAL stream mode the policy carries a finalizer, so its replication slot is dropped before it goes.
    func ensureFinalizer(_ policy: BackupPolicy) async throws {
        let finalizers = policy.metadata.finalizers ?? []
        guard policy.spec?.wal?.effectiveMode == .stream, !finalizers.contains(SlotCleanupJobBuilder.finalizer) else { return }
        try await setFinalizers(policy, finalizers + [SlotCleanupJobBuilder.finalizer])
    }

    /// A policy being deleted: stop the WAL streamer, run the slot-cleanup Job, and remove the finalizer once it
    /// succeeded. Idempotent: every step checks what exists first. The children and the cleanup Job go with the
    /// policy through their ownerReferences; the backups in the repository stay.
    func finalize(_ policy: BackupPolicy, logger: Logger) async throws -> ReconcileResult {
        let finalizers = policy.metadata.finalizers ?? []
        guard finalizers.contains(SlotCleanupJobBuilder.finalizer) else { return .done }
        let namespace = policy.metadata.namespace ?? "default"
        let built: Job?
        do {
            built = try SlotCleanupJobBuilder.build(policy, settings: settings)
        } catch {
            built = nil
        }
        guard let job = built else {
            // Not in stream mode any more: there is no slot of ours to drop.
            try await setFinalizers(policy, finalizers.filter { $0 != SlotCleanupJobBuilder.finalizer })
            return .done
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
            return .done
        }
        guard let run = RunResultReader.read(job: live, pods: await caches.pods.list(namespace: namespace)) else { return .done }
        if live.status?.conditions?.contains(where: { $0.type == "Complete" && $0.status == "True" }) == true
            || live.status?.conditions?.contains(where: { $0.type == "SuccessCriteriaMet" && $0.status == "True" }) == true {
            try await setFinalizers(policy, finalizers.filter { $0 != SlotCleanupJobBuilder.finalizer })
            logger.info("replication slot dropped; finalizer removed", metadata: ["k8s.job": "\(name)"])
            return .done
        }
        let note = "\(run.message). The policy stays until the slot \(WALStreamDeploymentBuilder.slotName(policy)) is dropped: fix the cause and "
            + "delete Job \(name) to try again, or drop the slot yourself and remove the finalizer \(SlotCleanupJobBuilder.finalizer)."
        await events.record([PolicyEvent(type: .warning, reason: "SlotCleanupFailed", action: "Finalize", note: note, relatedJobName: name)], about: policy, now: clock())
        return .done
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
