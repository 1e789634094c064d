import Metrics

/// The metrics of one controller, labelled `controller=<name>`:
/// `lifeboat_reconcile_total`, `lifeboat_reconcile_errors_total`,
/// `lifeboat_reconcile_duration_seconds` (a Timer) and `lifeboat_workqueue_depth` (a Gauge).
public struct ControllerMetrics: Sendable {
    /// Counts every reconcile, whatever its outcome.
    public let reconciles: Counter
    /// Counts reconciles that threw (conflicts excluded).
    public let errors: Counter
    /// Reconcile durations.
    public let duration: Timer
    /// Keys waiting in the queue.
    public let queueDepth: Gauge

    /// Creates the metrics through `factory` (the bootstrapped `MetricsSystem.factory` by default;
    /// tests pass their own factory, since `MetricsSystem.bootstrap` may run once per process).
    public init(controller: String, factory: any MetricsFactory = MetricsSystem.factory) {
        let dimensions = [("controller", controller)]
        reconciles = Counter(label: "lifeboat_reconcile_total", dimensions: dimensions, factory: factory)
        errors = Counter(label: "lifeboat_reconcile_errors_total", dimensions: dimensions, factory: factory)
        duration = Timer(label: "lifeboat_reconcile_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
        queueDepth = Gauge(label: "lifeboat_workqueue_depth", dimensions: dimensions, factory: factory)
    }
}
