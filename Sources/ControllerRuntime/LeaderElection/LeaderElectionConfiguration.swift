/// Settings of a `LeaderElector` (client-go's defaults: 15 s / 10 s / 2 s).
public struct LeaderElectionConfiguration: Sendable, Hashable {
    /// The Lease's name, e.g. `lifeboat-controller`.
    public var leaseName: String
    /// The Lease's namespace (usually the controller's own).
    public var namespace: String
    /// This process's identity, unique among the candidates (e.g. the pod name).
    public var identity: String
    /// How long others wait without seeing a renewal before taking over (whole seconds on the wire).
    public var leaseDuration: Duration
    /// The leader stops leading when it has not renewed successfully for this long. Must be shorter than `leaseDuration`.
    public var renewDeadline: Duration
    /// How often the leader renews and the others check.
    public var retryPeriod: Duration
    /// Whether to clear `holderIdentity` on graceful shutdown so another candidate takes over at once.
    public var releaseOnShutdown: Bool

    /// Creates a configuration.
    public init(
        leaseName: String,
        namespace: String,
        identity: String,
        leaseDuration: Duration = .seconds(15),
        renewDeadline: Duration = .seconds(10),
        retryPeriod: Duration = .seconds(2),
        releaseOnShutdown: Bool = true
    ) {
        self.leaseName = leaseName
        self.namespace = namespace
        self.identity = identity
        self.leaseDuration = leaseDuration
        self.renewDeadline = renewDeadline
        self.retryPeriod = retryPeriod
        self.releaseOnShutdown = releaseOnShutdown
    }

    /// `leaseDuration` in whole seconds (at least 1), as `spec.leaseDurationSeconds` carries it.
    public var leaseDurationSeconds: Int32 {
        let (seconds, attoseconds) = leaseDuration.components
        return Int32(max(1, seconds + (attoseconds > 0 ? 1 : 0)))
    }
}
