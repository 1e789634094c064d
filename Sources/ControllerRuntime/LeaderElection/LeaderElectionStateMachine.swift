import Foundation
import KubernetesModels

/// The decisions of leader election, without I/O (the `LeaderElector` performs the actions).
///
/// Expiry is judged on the LOCAL MONOTONIC clock: a candidate records when it first saw the
/// current Lease record (holder, renewTime, resourceVersion) and takes over only when that record
/// has not changed for the lease duration. It never compares `renewTime` with its own wall clock,
/// so clock skew between nodes cannot cause a premature takeover. Wall-clock time is only written
/// into the Lease (MicroTime) for people and other tools to read.
public struct LeaderElectionStateMachine: Sendable {
    /// The parts of a Lease the decisions depend on.
    public struct LeaseRecord: Sendable, Hashable {
        /// The holder, nil or empty when released.
        public var holderIdentity: String?
        /// The holder's lease duration.
        public var leaseDurationSeconds: Int32?
        /// MicroTime of acquisition.
        public var acquireTime: String?
        /// MicroTime of the last renewal.
        public var renewTime: String?
        /// How often the Lease changed hands.
        public var leaseTransitions: Int32?
        /// The Lease's resourceVersion (for optimistic locking).
        public var resourceVersion: String?

        /// Creates a record.
        public init(holderIdentity: String?, leaseDurationSeconds: Int32? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int32? = nil, resourceVersion: String?) {
            self.holderIdentity = holderIdentity
            self.leaseDurationSeconds = leaseDurationSeconds
            self.acquireTime = acquireTime
            self.renewTime = renewTime
            self.leaseTransitions = leaseTransitions
            self.resourceVersion = resourceVersion
        }

        /// The record of a Lease object.
        public init(_ lease: Lease) {
            self.init(
                holderIdentity: lease.spec?.holderIdentity, leaseDurationSeconds: lease.spec?.leaseDurationSeconds,
                acquireTime: lease.spec?.acquireTime, renewTime: lease.spec?.renewTime,
                leaseTransitions: lease.spec?.leaseTransitions, resourceVersion: lease.metadata.resourceVersion)
        }

        var isHeld: Bool { !(holderIdentity ?? "").isEmpty }
    }

    /// What happened.
    public enum Event: Sendable, Hashable {
        /// The Lease was read (nil: it does not exist).
        case leaseRead(LeaseRecord?)
        /// Reading the Lease failed.
        case readFailed
        /// Our create/update succeeded; the record is the server's answer.
        case writeSucceeded(LeaseRecord)
        /// Our create/update failed; `conflict` for a 409 (someone else wrote first).
        case writeFailed(conflict: Bool)
        /// Time passed (check the renew deadline).
        case tick
        /// Graceful shutdown.
        case shutdown
    }

    /// What to do.
    public enum Action: Sendable, Hashable {
        /// Nothing; check again after the retry period.
        case none
        /// Create the Lease with this spec (it does not exist).
        case create(LeaseSpec)
        /// Replace the Lease's spec, conditional on `resourceVersion` (acquire, take over, or renew).
        case update(LeaseSpec, resourceVersion: String)
        /// Clear the holder, conditional on `resourceVersion` (release on shutdown).
        case release(LeaseSpec, resourceVersion: String)
        /// We are the leader now.
        case startLeading
        /// We are not the leader any more: stop leader-only work at once.
        case stopLeading
    }

    /// This candidate's identity.
    public let identity: String
    /// Lease duration written into the Lease and used when the Lease carries none.
    public let leaseDuration: Duration
    /// How long the leader may go without a successful renewal.
    public let renewDeadline: Duration
    /// Whether we currently lead.
    public private(set) var isLeader = false
    /// The last record seen, and when (monotonic) it was first seen.
    public private(set) var observed: LeaseRecord?
    private var observedAt: ContinuousClock.Instant?
    /// When the last successful write of ours happened (monotonic).
    public private(set) var lastRenewal: ContinuousClock.Instant?

    /// Creates the state machine.
    public init(identity: String, leaseDuration: Duration, renewDeadline: Duration) {
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
    }

    private var leaseDurationSeconds: Int32 {
        let (seconds, attoseconds) = leaseDuration.components
        return Int32(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }

    /// When the leader must have renewed by, nil when not leading.
    public var renewDeadlineInstant: ContinuousClock.Instant? {
        guard isLeader, let lastRenewal else { return nil }
        return lastRenewal.advanced(by: renewDeadline)
    }

    /// Feeds an event; `now` is the monotonic time, `wallClock` the time to write into the Lease.
    public mutating func observe(_ event: Event, now: ContinuousClock.Instant, wallClock: Date) -> Action {
        switch event {
        case .leaseRead(nil):
            if isLeader {
                // Someone deleted our Lease: we cannot know who else acts; stop, then compete again.
                isLeader = false
                return .stopLeading
            }
            let time = KubernetesTime.formatMicro(wallClock)
            return .create(LeaseSpec(holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: time, renewTime: time, leaseTransitions: 0))

        case .leaseRead(let record?):
            if record != observed {
                observed = record
                observedAt = now
            }
            let time = KubernetesTime.formatMicro(wallClock)
            guard let resourceVersion = record.resourceVersion else { return .none }
            if record.holderIdentity == identity {
                // Renew (also after a restart of this same identity).
                var spec = LeaseSpec(holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds,
                                     acquireTime: record.acquireTime ?? time, renewTime: time,
                                     leaseTransitions: record.leaseTransitions ?? 0)
                if !isLeader, record.acquireTime == nil { spec.acquireTime = time }
                return .update(spec, resourceVersion: resourceVersion)
            }
            if isLeader {
                isLeader = false
                return .stopLeading
            }
            let duration = record.leaseDurationSeconds.map { Duration.seconds(Int64($0)) } ?? leaseDuration
            let expired = observedAt.map { now - $0 >= duration } ?? false
            guard !record.isHeld || expired else { return .none }
            return .update(
                LeaseSpec(holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: time,
                          renewTime: time, leaseTransitions: (record.leaseTransitions ?? 0) + (record.isHeld || record.acquireTime != nil ? 1 : 0)),
                resourceVersion: resourceVersion)

        case .writeSucceeded(let record):
            observed = record
            observedAt = now
            lastRenewal = now
            if record.holderIdentity != identity {
                // The release: we no longer hold it.
                let wasLeader = isLeader
                isLeader = false
                return wasLeader ? .stopLeading : .none
            }
            if isLeader { return .none }
            isLeader = true
            return .startLeading

        case .readFailed, .writeFailed, .tick:
            if let deadline = renewDeadlineInstant, now >= deadline {
                isLeader = false
                return .stopLeading
            }
            return .none

        case .shutdown:
            let wasLeader = isLeader
            isLeader = false
            guard wasLeader, let record = observed, let release = releaseAction(of: record, wallClock: wallClock) else {
                return wasLeader ? .stopLeading : .none
            }
            return release
        }
    }

    /// The write that releases `record` when it still names us as the holder, else nil. Used on
    /// shutdown, and again with a fresh read when that release met a conflict (a renewal whose
    /// answer the shutdown cut off had already changed the resourceVersion).
    public func releaseAction(of record: LeaseRecord, wallClock: Date) -> Action? {
        guard record.holderIdentity == identity, let resourceVersion = record.resourceVersion else { return nil }
        return .release(
            LeaseSpec(holderIdentity: nil, leaseDurationSeconds: record.leaseDurationSeconds ?? leaseDurationSeconds,
                      acquireTime: record.acquireTime, renewTime: KubernetesTime.formatMicro(wallClock),
                      leaseTransitions: record.leaseTransitions),
            resourceVersion: resourceVersion)
    }
}
