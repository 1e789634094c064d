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

    /// Removes every gauge of the policy `namespace/name`, once it is gone, so a deleted policy does not keep
    /// reporting its last backup forever.
    public func forget(namespace: String, name: String) {
        for metric in PolicyMetric.Name.allCases {
            let base = [("namespace", namespace), ("policy", name)]
            let variants = metric == .walLastShippedTimestamp ? [base] : BackupKind.allCases.map { base + [("kind", $0.rawValue)] }
            for dimensions in variants {
                Gauge(label: metric.rawValue, dimensions: dimensions, factory: factory).destroy()
            }
        }
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
