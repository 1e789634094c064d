import KubernetesClient
import KubernetesModels
import Logging
import ServiceLifecycle

/// A shared, watch-driven cache of one resource type (client-go's shared informer).
///
/// `run()` lists (page by page), then watches from the list's resourceVersion with bookmarks,
/// applying every event to an in-memory store keyed by namespace/name and telling the event
/// handlers. When the server ends the watch (`timeoutSeconds`) it watches again from the last
/// resourceVersion seen (bookmarks included). On 410 Gone (an ERROR event or an HTTP 410) it
/// lists again and diffs the list against the store, synthesising deletes for objects that
/// vanished meanwhile. On connection errors (an API server restart) it retries with backoff and
/// lists again. Treat the cache as possibly stale: a reconcile writes with resourceVersions and
/// retries on conflict.
///
/// Register handlers before running it; `run()` is a `Service` that ends on cancellation or
/// graceful shutdown.
public actor Informer<R: KubernetesResource>: Service {
    /// Handles one change to the cache.
    public typealias EventHandler = @Sendable (InformerEvent<R>) async -> Void
    /// Trims an object before it is cached (controller-runtime's `cache.Options.DefaultTransform`): whatever it
    /// drops costs no memory and no time in later comparisons, but no reader of the cache can see it either.
    public typealias Transform = @Sendable (R) -> R

    /// Counts of what the informer did, for tests and debugging.
    public struct Statistics: Sendable, Hashable {
        /// Complete lists (each may be several pages).
        public var lists = 0
        /// Watch requests started.
        public var watches = 0
        /// Times the server answered 410 Gone.
        public var gone = 0
        /// Failed requests other than 410 (connection errors, 5xx, …).
        public var failures = 0
    }

    nonisolated let client: KubernetesClient
    /// The namespace watched, nil for all namespaces.
    public nonisolated let namespace: String?
    /// The label selector the informer is scoped to, if any.
    public nonisolated let labelSelector: String?
    nonisolated let pageSize: Int
    nonisolated let watchTimeoutSeconds: Int
    nonisolated let retryBackoff: ExponentialBackoff
    nonisolated let logger: Logger
    /// The label indexed for `list(namespace:labelValue:)`, if any.
    public nonisolated let indexedLabel: String?

    private var store: ObjectStore<R>
    private var handlers: [EventHandler] = []
    private var synced = false
    private var syncWaiters = WakeSignals()
    /// The resourceVersion to resume watching from.
    public private(set) var lastResourceVersion: String?
    /// What the informer has done so far.
    public private(set) var statistics = Statistics()

    /// Creates an informer.
    ///
    /// - Parameters:
    ///   - type: the resource type.
    ///   - client: the API client.
    ///   - namespace: one namespace, or nil for all.
    ///   - labelSelector: only objects matching it (e.g. `lifeboat.dev/policy` for the Jobs and Pods of policies).
    ///   - pageSize: list page size.
    ///   - watchTimeoutSeconds: `timeoutSeconds` of each watch request; the informer re-watches after it.
    ///   - retryBackoff: delay between attempts after connection errors.
    ///   - indexedLabel: a label whose values are indexed, for `list(namespace:labelValue:)`.
    ///   - transform: trims every object before it is cached, e.g. `Informer.withoutManagedFields`.
    ///   - logger: receives list/watch lifecycle lines (`k8s.resource`, `k8s.resourceVersion`).
    public init(
        _ type: R.Type = R.self,
        client: KubernetesClient,
        namespace: String? = nil,
        labelSelector: String? = nil,
        pageSize: Int = 500,
        watchTimeoutSeconds: Int = 300,
        retryBackoff: ExponentialBackoff = ExponentialBackoff(base: .milliseconds(100), cap: .seconds(30)),
        indexedLabel: String? = nil,
        transform: @escaping Transform = { $0 },
        logger: Logger = Logger(label: "lifeboat.informer")
    ) {
        self.store = ObjectStore(indexedLabel: indexedLabel, transform: transform)
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.pageSize = pageSize
        self.watchTimeoutSeconds = watchTimeoutSeconds
        self.retryBackoff = retryBackoff
        self.indexedLabel = indexedLabel
        var logger = logger
        logger[metadataKey: "k8s.resource"] = "\(R.descriptor.plural)"
        self.logger = logger
    }

    // MARK: Reading the cache

    /// Whether the first list has been applied.
    public var hasSynced: Bool { synced }

    /// The cached object for `key`.
    public func get(_ key: ObjectKey) -> R? { store.objects[key] }

    /// Every cached object, sorted by key.
    public func list() -> [R] { store.objects.keys.sorted().map { store.objects[$0]! } }

    /// Every cached object in `namespace`, sorted by key.
    public func list(namespace: String) -> [R] {
        store.keys(namespace: namespace).sorted().map { store.objects[$0]! }
    }

    /// The cached objects in `namespace` whose `indexedLabel` (see `init`) has `value`, sorted by key. Answered from
    /// the index, so it costs what it returns, not the size of the cache. Without an indexed label it answers none.
    public func list(namespace: String, labelValue value: String) -> [R] {
        store.keys(namespace: namespace, labelValue: value).sorted().map { store.objects[$0]! }
    }

    /// Every cached key, sorted.
    public var keys: [ObjectKey] { store.objects.keys.sorted() }

    /// Waits until the first list has been applied (or the caller is cancelled: then it throws `CancellationError`).
    public func waitUntilSynced() async throws {
        while !synced {
            try Task.checkCancellation()
            let (id, stream) = syncWaiters.register()
            await WakeSignals.wait(stream, until: nil)
            syncWaiters.remove(id)
        }
    }

    // MARK: Handlers

    /// Adds a handler called, in order, for every change to the cache (including the initial list's adds).
    public func addEventHandler(_ handler: @escaping EventHandler) {
        handlers.append(handler)
    }

    /// Adds a handler that maps each changed object (old and new state) to keys and adds them to `queue`.
    public func enqueue(into queue: WorkQueue<ObjectKey>, keys: @escaping @Sendable (R) -> [ObjectKey]) {
        addEventHandler { event in
            var mapped = Set(keys(event.object))
            if case .updated(let old, _) = event { mapped.formUnion(keys(old)) }
            for key in mapped.sorted() { await queue.add(key) }
        }
    }

    // MARK: Running

    /// Lists and watches until cancelled or shut down gracefully.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await self.listAndWatchUntilCancelled()
        }
    }

    private func listAndWatchUntilCancelled() async {
        // Run again after a stop, it resumes watching from the last resourceVersion (410 → list).
        var needsList = !synced || lastResourceVersion == nil
        var consecutiveFailures = 0
        while !Task.isCancelled {
            do {
                if needsList {
                    try await relist()
                    needsList = false
                }
                let started = ContinuousClock.now
                let received = try await watchOnce()
                if received == 0, ContinuousClock.now - started < .seconds(1) {
                    // A server that keeps closing watches at once must not be hammered in a loop.
                    consecutiveFailures += 1
                    try await Task.sleep(for: retryBackoff.delay(afterFailures: consecutiveFailures))
                } else {
                    consecutiveFailures = 0
                }
            } catch is CancellationError {
                return
            } catch let error as KubernetesError where error.isGone {
                statistics.gone += 1
                logger.debug("resourceVersion expired; listing again", metadata: ["k8s.resourceVersion": "\(lastResourceVersion ?? "")"])
                needsList = true
            } catch {
                if Task.isCancelled { return }
                statistics.failures += 1
                consecutiveFailures += 1
                needsList = true
                let delay = retryBackoff.delay(afterFailures: consecutiveFailures)
                logger.info("list/watch failed; retrying", metadata: ["error": "\(error)", "retry.delay": "\(delay)"])
                do { try await Task.sleep(for: delay) } catch { return }
            }
        }
    }

    /// Lists every page and replaces the store, telling handlers about the differences.
    private func relist() async throws {
        let list = try await client.listAll(R.self, namespace: namespace, labelSelector: labelSelector, pageSize: pageSize)
        statistics.lists += 1
        let events = store.replace(with: list.items)
        lastResourceVersion = list.metadata?.resourceVersion
        logger.debug("listed", metadata: ["k8s.count": "\(list.items.count)", "k8s.resourceVersion": "\(lastResourceVersion ?? "")"])
        if !synced {
            synced = true
            syncWaiters.wakeAll()
        }
        await dispatch(events)
    }

    /// One watch request from `lastResourceVersion` until the server ends it.
    private func watchOnce() async throws -> Int {
        statistics.watches += 1
        var received = 0
        let options = WatchOptions(
            resourceVersion: lastResourceVersion,
            labelSelector: labelSelector,
            timeoutSeconds: watchTimeoutSeconds,
            allowWatchBookmarks: true
        )
        for try await update in client.watch(R.self, namespace: namespace, options: options) {
            received += 1
            if let version = update.resourceVersion, !version.isEmpty { lastResourceVersion = version }
            if let event = store.apply(update) { await dispatch([event]) }
        }
        return received
    }

    private func dispatch(_ events: [InformerEvent<R>]) async {
        for event in events {
            for handler in handlers { await handler(event) }
        }
    }
}

extension Informer {
    /// A transform that drops `metadata.managedFields`: server-side apply's field ownership records, several KiB per
    /// object that a controller reading its cache never needs (controller-runtime's usual `DefaultTransform`).
    public static func withoutManagedFields(_ object: R) -> R {
        guard object.metadata.managedFields != nil else { return object }
        var trimmed = object
        trimmed.metadata.managedFields = nil
        return trimmed
    }
}
