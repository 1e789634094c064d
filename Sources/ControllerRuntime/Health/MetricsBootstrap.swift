import Metrics
import Prometheus

/// The process-wide Prometheus registry, bootstrapped as the `MetricsSystem` factory on first use.
///
/// `MetricsSystem.bootstrap` may be called only once per process; going through
/// `MetricsBootstrap.registry` guarantees that. Tests that need their own metrics pass a
/// `PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())` explicitly instead.
public enum MetricsBootstrap {
    /// The registry; reading it the first time bootstraps the metrics system with it.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
