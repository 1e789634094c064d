import Foundation
import KubernetesClient
import KubernetesModels
import Logging
import ServiceLifecycle

/// Leader election with a `coordination.k8s.io/v1` Lease, as a `Service`.
///
/// Candidates read the Lease every `retryPeriod`. The holder renews it; the others take it over
/// only after they have seen no change to it for the lease duration on their own monotonic
/// clock. The leader stops leading as soon as `renewDeadline` passes without a successful
/// renewal, and on graceful shutdown releases the Lease (clears `holderIdentity`) so another
/// candidate takes over at once. Every write is conditional on the resourceVersion read, so a
/// 409 on a takeover means someone else won. Decisions live in `LeaderElectionStateMachine`.
///
/// Leader-only work runs in `withLeadership(_:)`, which cancels it when leadership is lost.
public actor LeaderElector: Service {
    /// The settings.
    public nonisolated let configuration: LeaderElectionConfiguration
    nonisolated let client: KubernetesClient
    nonisolated let logger: Logger
    private var machine: LeaderElectionStateMachine
    private var subscribers: [Int: AsyncStream<Bool>.Continuation] = [:]
    private var nextSubscriber = 0

    /// Creates an elector.
    public init(client: KubernetesClient, configuration: LeaderElectionConfiguration, logger: Logger = Logger(label: "lifeboat.leader-election")) {
        self.client = client
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "k8s.namespace"] = "\(configuration.namespace)"
        logger[metadataKey: "k8s.name"] = "\(configuration.leaseName)"
        logger[metadataKey: "leader.identity"] = "\(configuration.identity)"
        self.logger = logger
        self.machine = LeaderElectionStateMachine(identity: configuration.identity, leaseDuration: configuration.leaseDuration, renewDeadline: configuration.renewDeadline)
    }

    /// Whether this candidate currently leads.
    public var isLeader: Bool { machine.isLeader }

    private var leaseLabel: String { "\(configuration.namespace)/\(configuration.leaseName)" }

    // MARK: Observing leadership

    /// The leadership state now and after every change. The stream ends when the caller's task is cancelled.
    public func leadershipUpdates() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream<Bool>.makeStream(bufferingPolicy: .bufferingNewest(1))
        nextSubscriber += 1
        subscribers[nextSubscriber] = continuation
        continuation.yield(machine.isLeader)
        return stream
    }

    /// Waits until this candidate leads; throws `CancellationError` when cancelled first.
    public func waitForLeadership() async throws {
        for await leading in leadershipUpdates() where leading { return }
        throw CancellationError()
    }

    /// Waits for leadership, then runs `body`, cancelling it and throwing `LeadershipLostError`
    /// as soon as leadership is lost.
    public func withLeadership<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await waitForLeadership()
        let updates = leadershipUpdates()
        let lost = LeadershipLostError(identity: configuration.identity, lease: leaseLabel)
        return try await withThrowingTaskGroup(of: LeadershipOutcome<T>.self) { group in
            group.addTask { .finished(try await body()) }
            group.addTask {
                for await leading in updates where !leading { return .lost }
                return .lost
            }
            defer { group.cancelAll() }
            switch try await group.next() {
            case .finished(let value): return value
            case .lost, nil: throw lost
            }
        }
    }

    private func publish(_ leading: Bool) {
        for (id, continuation) in subscribers {
            if case .terminated = continuation.yield(leading) { subscribers.removeValue(forKey: id) }
        }
    }

    // MARK: Running

    /// Competes for (and keeps) the Lease until cancelled or shut down gracefully; releases it
    /// on graceful shutdown when `releaseOnShutdown`.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown { [self] in try await self.loop() }
        guard Task.isShuttingDownGracefully, !Task.isCancelled else {
            // Cancelled without a graceful shutdown (a crash, as far as others can tell): no release.
            if machine.isLeader { apply(.stopLeading) }
            finishSubscribers()
            return
        }
        let action = machine.observe(.shutdown, now: .now, wallClock: Date())
        publish(false)
        if configuration.releaseOnShutdown {
            await release(action)
        }
        finishSubscribers()
    }

    /// Releases the Lease; when that fails (a conflict, mostly) reads it again and retries while it still names us (a
    /// renewal cut off by the shutdown may have changed it after our last read). Without this, the
    /// next leader waited a full lease duration after a clean shutdown — seen as a flaky test.
    private func release(_ first: LeaderElectionStateMachine.Action) async {
        var action = first
        for _ in 0..<3 {
            guard case .release = action else {
                apply(action)
                return
            }
            if await perform(action) == .written { return }
            let client = self.client
            let (name, namespace) = (configuration.leaseName, configuration.namespace)
            guard let lease = try? await withTimeout(configuration.renewDeadline, operation: "GET lease \(leaseLabel)", {
                try await client.getIfExists(Lease.self, name: name, namespace: namespace)
            }), let retry = machine.releaseAction(of: LeaderElectionStateMachine.LeaseRecord(lease), wallClock: Date()) else {
                return
            }
            action = retry
        }
        logger.warning("could not release the lease; the next leader takes over after the lease duration")
    }

    private func finishSubscribers() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }

    private func loop() async throws {
        while true {
            try Task.checkCancellation()
            await cycle()
            // The leader wakes up no later than its renew deadline, so it stops leading on time.
            var wake = ContinuousClock.now.advanced(by: configuration.retryPeriod)
            if let deadline = machine.renewDeadlineInstant, deadline < wake { wake = deadline }
            try await Task.sleep(until: wake, clock: .continuous)
            apply(machine.observe(.tick, now: .now, wallClock: Date()))
        }
    }

    /// One read-decide-write round.
    private func cycle() async {
        let client = self.client
        let name = configuration.leaseName
        let namespace = configuration.namespace
        let lease: Lease?
        do {
            lease = try await withTimeout(requestLimit(), operation: "GET lease \(leaseLabel)") {
                try await client.getIfExists(Lease.self, name: name, namespace: namespace)
            }
        } catch {
            logger.debug("reading the lease failed", metadata: ["error": "\(error)"])
            apply(machine.observe(.readFailed, now: .now, wallClock: Date()))
            return
        }
        let action = machine.observe(.leaseRead(lease.map { LeaderElectionStateMachine.LeaseRecord($0) }), now: .now, wallClock: Date())
        await perform(action)
    }

    /// How long a request may take: for the leader, no longer than what is left until its renew deadline.
    private func requestLimit() -> Duration {
        guard let deadline = machine.renewDeadlineInstant else { return configuration.renewDeadline }
        return max(.milliseconds(1), deadline - .now)
    }

    private enum WriteOutcome { case written, conflict, failed }

    /// Performs a write action and feeds its outcome back.
    @discardableResult
    private func perform(_ action: LeaderElectionStateMachine.Action) async -> WriteOutcome {
        let client = self.client
        var lease = Lease(metadata: ObjectMeta(name: configuration.leaseName, namespace: configuration.namespace))
        switch action {
        case .none, .startLeading, .stopLeading:
            apply(action)
            return .written
        case .create(let spec):
            lease.spec = spec
        case .update(let spec, let resourceVersion), .release(let spec, let resourceVersion):
            lease.spec = spec
            lease.metadata.resourceVersion = resourceVersion
        }
        let isCreate: Bool = if case .create = action { true } else { false }
        let request = lease
        do {
            let written = try await withTimeout(requestLimit(), operation: "write lease \(leaseLabel)") {
                try await (isCreate ? client.create(request) : client.replace(request))
            }
            apply(machine.observe(.writeSucceeded(LeaderElectionStateMachine.LeaseRecord(written)), now: .now, wallClock: Date()))
            return .written
        } catch let error as KubernetesError where error.isConflict || error.isAlreadyExists {
            logger.debug("another candidate wrote the lease first", metadata: ["error": "\(error)"])
            apply(machine.observe(.writeFailed(conflict: true), now: .now, wallClock: Date()))
            return .conflict
        } catch {
            logger.info("writing the lease failed", metadata: ["error": "\(error)"])
            apply(machine.observe(.writeFailed(conflict: false), now: .now, wallClock: Date()))
            return .failed
        }
    }

    private func apply(_ action: LeaderElectionStateMachine.Action) {
        switch action {
        case .startLeading:
            logger.info("started leading")
            publish(true)
        case .stopLeading:
            logger.warning("stopped leading")
            publish(false)
        default:
            break
        }
    }
}

private enum LeadershipOutcome<T: Sendable>: Sendable {
    case finished(T)
    case lost
}
