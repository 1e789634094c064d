import Metrics

/// A de-duplicating, rate-limited work queue of keys (client-go's workqueue, as an actor).
///
/// - A key is queued at most once however often it is added.
/// - A key handed out by `next()` is "processing" until `done(_:)`: it is never handed out twice
///   at once. Added again meanwhile, it is marked dirty and queued again by `done(_:)`.
/// - `addRateLimited(_:)` re-adds after a per-key exponential backoff that grows with each
///   failure; `forget(_:)` resets it after a success.
/// - `addAfter(_:delay:)` re-adds after a delay (requeue-after, resync).
/// - `shutDown()` stops accepting keys and drops delayed ones; keys already queued are still
///   handed out (drained) and `next()` answers nil once none are left. `shutDownWithDrain()` also
///   waits until every key being processed is `done`.
public actor WorkQueue<Key: Hashable & Sendable> {
    /// The backoff used by `addRateLimited(_:)`.
    public nonisolated let backoff: ExponentialBackoff
    private let depthGauge: Gauge?

    private var ready: [Key] = []
    private var readyHead = 0
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var delayed: [Key: ContinuousClock.Instant] = [:]
    private var failures: [Key: Int] = [:]
    private var shuttingDown = false
    private var keyWaiters = WakeSignals()
    private var drainWaiters = WakeSignals()

    /// Creates a queue.
    ///
    /// - Parameters:
    ///   - backoff: per-key failure backoff (default 5 ms doubling up to 1000 s).
    ///   - depthGauge: receives the number of keys ready to be handed out on every change.
    public init(backoff: ExponentialBackoff = ExponentialBackoff(base: .milliseconds(5), cap: .seconds(1000)), depthGauge: Gauge? = nil) {
        self.backoff = backoff
        self.depthGauge = depthGauge
    }

    /// Keys ready to be handed out (not counting delayed or processing keys).
    public var depth: Int { ready.count - readyHead }
    /// Keys waiting for their delay to pass.
    public var delayedCount: Int { delayed.count }
    /// Whether `shutDown()` was called.
    public var isShuttingDown: Bool { shuttingDown }

    /// Whether `key` is handed out and not yet `done`.
    public func isProcessing(_ key: Key) -> Bool { processing.contains(key) }

    /// Queues `key` now (a no-op when it is already queued, or after `shutDown()`).
    public func add(_ key: Key) {
        guard !shuttingDown else { return }
        delayed.removeValue(forKey: key)
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard queued.insert(key).inserted else { return }
        ready.append(key)
        publishDepth()
        keyWaiters.wakeAll()
    }

    /// Queues `key` once `delay` has passed. An earlier pending delay for the same key wins.
    public func addAfter(_ key: Key, delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(key) }
        let deadline = ContinuousClock.now.advanced(by: delay)
        if let existing = delayed[key], existing <= deadline { return }
        delayed[key] = deadline
        // A sleeping `next()` may now have an earlier deadline to wake up for.
        keyWaiters.wakeAll()
    }

    /// Counts a failure of `key` and queues it after the backoff for that many failures.
    /// Answers the delay used.
    @discardableResult
    public func addRateLimited(_ key: Key) -> Duration {
        let count = (failures[key] ?? 0) + 1
        failures[key] = count
        let delay = backoff.delay(afterFailures: count)
        addAfter(key, delay: delay)
        return delay
    }

    /// Resets the failure count of `key` (call after it was processed successfully).
    public func forget(_ key: Key) {
        failures.removeValue(forKey: key)
    }

    /// How many consecutive failures `key` has had since the last `forget(_:)`.
    public func failureCount(_ key: Key) -> Int { failures[key] ?? 0 }

    /// The next key to process, waiting until one is ready. Answers nil after `shutDown()` once
    /// the queue is empty, or at once when the calling task is cancelled. Call `done(_:)` afterwards.
    public func next() async -> Key? {
        while true {
            if Task.isCancelled { return nil }
            promoteDueKeys()
            if readyHead < ready.count {
                let key = ready[readyHead]
                readyHead += 1
                if readyHead > 64, readyHead * 2 > ready.count {
                    ready.removeFirst(readyHead)
                    readyHead = 0
                }
                queued.remove(key)
                processing.insert(key)
                publishDepth()
                return key
            }
            if shuttingDown { return nil }
            let (id, stream) = keyWaiters.register()
            await WakeSignals.wait(stream, until: delayed.values.min())
            keyWaiters.remove(id)
        }
    }

    /// Marks `key` as processed; queues it again if it was added while processing.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil, !shuttingDown {
            add(key)
        }
        if processing.isEmpty { drainWaiters.wakeAll() }
    }

    /// Stops accepting keys and drops delayed ones; wakes waiting workers. Queued keys are still handed out.
    public func shutDown() {
        shuttingDown = true
        delayed.removeAll()
        dirty.removeAll()
        keyWaiters.wakeAll()
    }

    /// `shutDown()`, then waits until no key is being processed (or the caller is cancelled).
    public func shutDownWithDrain() async {
        shutDown()
        while !processing.isEmpty || readyHead < ready.count, !Task.isCancelled {
            let (id, stream) = drainWaiters.register()
            await WakeSignals.wait(stream, until: nil)
            drainWaiters.remove(id)
        }
    }

    private func promoteDueKeys() {
        guard !delayed.isEmpty else { return }
        let now = ContinuousClock.now
        let due = delayed.filter { $0.value <= now }.sorted { $0.value < $1.value }
        for (key, _) in due {
            delayed.removeValue(forKey: key)
            add(key)
        }
    }

    private func publishDepth() {
        depthGauge?.record(ready.count - readyHead)
    }
}
