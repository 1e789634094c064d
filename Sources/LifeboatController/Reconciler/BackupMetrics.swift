import LifeboatAPI
import Metrics

/// Sets the per-policy backup gauges through swift-metrics (exported by the Prometheus exporter the controller
/// bootstraps): labels `namespace`, `policy` and, for backup gauges, `kind`.
public struct BackupMetrics: Sendable {
    let factory: any MetricsFactory

    /// Creates the metrics writing to `factory` (the bootstrapped `MetricsSystem.factory` by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Records `values` for the policy `namespace/name`.
    public func record(_ values: [PolicyMetric], namespace: String, name: String) {
        for value in values {
            var dimensions = [("namespace", namespace), ("policy", name)]
            if let kind = value.kind { dimensions.append(("kind", kind.rawValue)) }
            Gauge(label: value.name.rawValue, dimensions: dimensions, factory: factory).record(value.value)
        }
    }
}
