/// How `wal-stream` reacts when `pg_receivewal` exits: why it stopped (from what it said) and how long to wait
/// before the next start. Pure, so the decisions are tested without a server.
public struct ReceiverRestartPolicy: Sendable, Hashable {
    /// Why `pg_receivewal` stopped.
    public enum Failure: Sendable, Hashable {
        /// The server removed WAL the spool still needs (`requested WAL segment … has already been removed`).
        case walRemoved
        /// The slot does not exist (dropped, or a failover to a server without it).
        case slotMissing
        /// Anything else: connection lost, server restarting, authentication …
        case other
    }

    /// The first wait in seconds.
    public var initialDelay: Double
    /// The longest wait in seconds.
    public var maximumDelay: Double
    /// A run at least this long counts as healthy and resets the delay.
    public var healthyRun: Double
    /// The next delay.
    public private(set) var delay: Double

    /// Creates a policy: waits double from `initialDelay` up to `maximumDelay`.
    public init(initialDelay: Double = 1, maximumDelay: Double = 30, healthyRun: Double = 60) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.healthyRun = healthyRun
        delay = initialDelay
    }

    /// Records a run that lasted `seconds` and returns how long to wait before the next start.
    public mutating func nextDelay(afterRunOf seconds: Double) -> Double {
        if seconds >= healthyRun { delay = initialDelay }
        let wait = delay
        delay = min(maximumDelay, delay * 2)
        return wait
    }

    /// Classifies what `pg_receivewal` wrote to stderr.
    public static func classify(stderr: String) -> Failure {
        let text = stderr.lowercased()
        if text.contains("has already been removed") { return .walRemoved }
        if text.contains("replication slot") && text.contains("does not exist") { return .slotMissing }
        return .other
    }
}
