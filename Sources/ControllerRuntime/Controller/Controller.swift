import KubernetesClient
import KubernetesModels
import Logging
import Metrics
import ServiceLifecycle

/// Runs a `Reconciler` for the objects of a primary informer (and whatever secondary informers
/// map to them), as a `Service`.
///
/// - Waits for the primary informer's first list, then enqueues every cached key.
/// - `workers` tasks pull keys from a de-duplicating `WorkQueue`, so one object is never
///   reconciled twice at once.
/// - `.requeue(after:)` re-adds the key after the delay; a thrown error re-adds it with per-key
///   exponential backoff; a `KubernetesError` conflict re-adds it after `conflictDelay` without
///   counting as an error; success (`.done`) resets the backoff.
/// - Every `resyncPeriod` every cached key is enqueued again.
/// - With a `LeaderElector`, workers run only while leading (the caches stay warm meanwhile).
/// - On graceful shutdown the queue stops accepting keys; reconciles in flight finish.
///
/// Wiring (a ServiceGroup shuts services down in reverse order, so list the informers and the
/// elector before the controller: the controller then drains while its caches still run):
///
/// ```swift
/// let policies = Informer(BackupPolicy.self, client: client)
/// let jobs = Informer(Job.self, client: client, labelSelector: "lifeboat.dev/policy")
/// let elector = LeaderElector(client: client, configuration: .init(leaseName: "lifeboat-controller", namespace: ns, identity: pod))
/// let controller = Controller(name: "backuppolicy", informer: policies, reconciler: reconciler,
///                             leaderElector: elector, metricsFactory: PrometheusMetricsFactory(registry: MetricsBootstrap.registry))
/// await controller.watch(jobs, keys: ObjectKey.fromLabel("lifeboat.dev/policy"))
/// let health = HealthServer(port: 8081, registry: MetricsBootstrap.registry,
///                           readinessChecks: [.synced(policies), .synced(jobs)], leaderElector: elector)
/// let group = ServiceGroup(configuration: .init(services: [policies, jobs, elector, controller, health],
///                                               gracefulShutdownSignals: [.sigterm], logger: logger))
/// try await group.run()
/// ```
public final class Controller<R: KubernetesResource>: Service, Sendable {
    /// The controller's name (metrics label `controller`, log metadata).
    public let name: String
    /// The primary informer: its keys are reconciled and resynced.
    public let informer: Informer<R>
    /// The work queue (shared with secondary informers' handlers).
    public let queue: WorkQueue<ObjectKey>
    let reconciler: any Reconciler
    let workers: Int
    let resyncPeriod: Duration?
    let conflictDelay: Duration
    let leaderElector: LeaderElector?
    let metrics: ControllerMetrics
    let logger: Logger

    /// Creates a controller.
    ///
    /// - Parameters:
    ///   - name: the controller's name, e.g. `backuppolicy`.
    ///   - informer: the cache of the primary resource.
    ///   - reconciler: the reconcile function.
    ///   - workers: concurrent reconciles (of different keys).
    ///   - backoff: per-key failure backoff.
    ///   - resyncPeriod: how often every cached key is enqueued again; nil for never.
    ///   - conflictDelay: the requeue delay after a 409 Conflict.
    ///   - leaderElector: when set, reconcile only while leading.
    ///   - metricsFactory: where the metrics go (the bootstrapped `MetricsSystem.factory` by default).
    ///   - logger: receives one line per failed reconcile (`k8s.namespace`, `k8s.name`).
    public init(
        name: String,
        informer: Informer<R>,
        reconciler: some Reconciler,
        workers: Int = 2,
        backoff: ExponentialBackoff = ExponentialBackoff(base: .milliseconds(5), cap: .seconds(1000)),
        resyncPeriod: Duration? = .seconds(600),
        conflictDelay: Duration = .milliseconds(100),
        leaderElector: LeaderElector? = nil,
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger = Logger(label: "lifeboat.controller")
    ) {
        self.name = name
        self.informer = informer
        self.reconciler = reconciler
        self.workers = max(1, workers)
        self.resyncPeriod = resyncPeriod
        self.conflictDelay = conflictDelay
        self.leaderElector = leaderElector
        self.metrics = ControllerMetrics(controller: name, factory: metricsFactory)
        self.queue = WorkQueue(backoff: backoff, depthGauge: metrics.queueDepth)
        var logger = logger
        logger[metadataKey: "controller"] = "\(name)"
        self.logger = logger
    }

    /// Enqueues the keys that `keys` maps each changed object of a secondary informer to, e.g.
    /// a Job → its policy through `ObjectKey.fromLabel("lifeboat.dev/policy")`.
    public func watch<O: KubernetesResource>(_ secondary: Informer<O>, keys: @escaping @Sendable (O) -> [ObjectKey]) async {
        await secondary.enqueue(into: queue, keys: keys)
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let queue = self.queue
        await informer.enqueue(into: queue) { ObjectKey($0).map { [$0] } ?? [] }
        do {
            try await cancelWhenGracefulShutdown { [informer] in try await informer.waitUntilSynced() }
        } catch is CancellationError {
            return
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        guard let leaderElector else {
            try await runWorkers()
            return
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await leaderElector.waitForLeadership() }
            } catch is CancellationError {
                return
            }
            if Task.isCancelled || Task.isShuttingDownGracefully { return }
            logger.info("leading: starting workers")
            do {
                try await leaderElector.withLeadership { try await self.runWorkers() }
                return
            } catch is LeadershipLostError {
                logger.warning("leadership lost: workers stopped; waiting to lead again")
            }
        }
    }

    /// Enqueues every cached key, then runs the workers and the resync loop until the queue is shut down.
    func runWorkers() async throws {
        for key in await informer.keys { await queue.add(key) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [queue] in
                // Graceful shutdown: stop taking keys; the workers finish what they hold and drain.
                do {
                    try await gracefulShutdown()
                    await queue.shutDown()
                } catch {
                    // Cancelled (leadership lost): keep the queue for when we lead again.
                }
            }
            if let resyncPeriod {
                group.addTask { [informer, queue] in
                    while true {
                        do { try await Task.sleep(for: resyncPeriod) } catch { return }
                        for key in await informer.keys { await queue.add(key) }
                    }
                }
            }
            await withTaskGroup(of: Void.self) { workers in
                for index in 0..<self.workers {
                    workers.addTask { await self.work(index) }
                }
            }
            group.cancelAll()
        }
    }

    private func work(_ index: Int) async {
        while let key = await queue.next() {
            await process(key)
            await queue.done(key)
        }
    }

    /// One reconcile of `key` with its bookkeeping.
    func process(_ key: ObjectKey) async {
        let start = ContinuousClock.now
        var logger = self.logger
        logger[metadataKey: "k8s.namespace"] = "\(key.namespace ?? "")"
        logger[metadataKey: "k8s.name"] = "\(key.name)"
        defer {
            metrics.reconciles.increment()
            metrics.duration.recordNanoseconds(Self.nanoseconds(ContinuousClock.now - start))
        }
        do {
            switch try await reconciler.reconcile(key) {
            case .done:
                await queue.forget(key)
            case .requeue(let delay):
                await queue.forget(key)
                await queue.addAfter(key, delay: delay)
            }
        } catch is CancellationError {
            // Leadership lost or shutdown mid-reconcile: try again later (level-triggered, so it is safe).
            await queue.add(key)
        } catch let error as KubernetesError where error.isConflict {
            logger.debug("conflict; requeueing soon", metadata: ["error": "\(error)"])
            await queue.addAfter(key, delay: conflictDelay)
        } catch {
            metrics.errors.increment()
            let delay = await queue.addRateLimited(key)
            logger.warning("reconcile failed; retrying", metadata: ["error": "\(error)", "retry.delay": "\(delay)"])
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
