/// Thrown by `LeaderElector.withLeadership(_:)` when leadership was lost while the body ran
/// (the body was cancelled).
public struct LeadershipLostError: Error, Sendable, CustomStringConvertible {
    /// The elector's identity.
    public var identity: String
    /// The Lease, `namespace/name`.
    public var lease: String

    /// Creates the error.
    public init(identity: String, lease: String) {
        self.identity = identity
        self.lease = lease
    }

    /// A readable message.
    public var description: String {
        "\(identity) lost the leadership of Lease \(lease) (no successful renewal within the renew deadline, or another candidate holds it); leader-only work was stopped"
    }
}
