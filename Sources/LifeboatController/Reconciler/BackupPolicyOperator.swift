import ControllerRuntime
import Foundation
import KubernetesClient
import KubernetesModels
import LifeboatAPI
import Logging
import Metrics
import ServiceLifecycle

/// The BackupPolicy controller assembled: caches, reconciler and the runtime's `Controller`, wired so that changes
/// to children, Jobs, Pods and referenced Secrets and claims enqueue their policy. Run `services` in one ServiceGroup
/// (with the LeaderElector, when one is passed, and the health server).
public struct BackupPolicyOperator: Sendable {
    /// The informers.
    public let caches: BackupPolicyCaches
    /// The reconcile function.
    public let reconciler: BackupPolicyReconciler
    /// The controller loop.
    public let controller: Controller<BackupPolicy>

    /// Builds and wires the controller.
    ///
    /// - Parameters:
    ///   - client: the API client.
    ///   - settings: controller-wide settings of the children (image, history limits, …).
    ///   - instance: this process's name for Events' `reportingInstance` (e.g. the pod name).
    ///   - namespace: watch one namespace, or nil for all.
    ///   - leaderElector: when set, reconcile only while leading (run the elector as a service too).
    ///   - workers: concurrent reconciles of different policies.
    ///   - resyncPeriod: how often every policy is reconciled again even without changes.
    ///   - watchTimeoutSeconds: `timeoutSeconds` of each watch; the informers watch again after it.
    ///   - metricsFactory: where controller and backup metrics go.
    ///   - logger: the logger of the controller and its parts.
    public static func make(
        client: KubernetesClient, settings: BuilderSettings, instance: String, namespace: String? = nil, leaderElector: LeaderElector? = nil,
        workers: Int = 2, resyncPeriod: Duration? = .seconds(600), watchTimeoutSeconds: Int = 300,
        metricsFactory: any MetricsFactory = MetricsSystem.factory, logger: Logger = Logger(label: "lifeboat.controller")
    ) async -> BackupPolicyOperator {
        let caches = BackupPolicyCaches(client: client, namespace: namespace, watchTimeoutSeconds: watchTimeoutSeconds, logger: logger)
        let reconciler = BackupPolicyReconciler(
            client: client, caches: caches, settings: settings, events: EventRecorder(client: client, instance: instance, logger: logger),
            metrics: BackupMetrics(factory: metricsFactory), logger: logger
        )
        let controller = Controller(
            name: "backuppolicy", informer: caches.policies, reconciler: reconciler, workers: workers, resyncPeriod: resyncPeriod,
            leaderElector: leaderElector, metricsFactory: metricsFactory, logger: logger
        )
        await caches.connect(to: controller)
        // A deleted CronJob (a cascade after its policy went, or by hand) leaves the reconciler's record of verified children.
        await caches.cronJobs.addEventHandler { [verified = reconciler.verified] event in
            if case .deleted(let child) = event, let key = ObjectKey(child) { await verified.forget(key) }
        }
        return BackupPolicyOperator(caches: caches, reconciler: reconciler, controller: controller)
    }

    /// The informers and the controller, to run in one ServiceGroup.
    public var services: [any Service] { caches.services + [controller] }
}
