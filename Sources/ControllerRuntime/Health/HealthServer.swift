import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// The controller's HTTP endpoints, as a `Service` (Hummingbird):
///
/// - `/healthz`: 200 `ok` while the process runs;
/// - `/readyz`: 200 when every `ReadinessCheck` holds, else 503; the body lists each check and,
///   when an elector is given, the leader-election state (reported, not required: a standby
///   replica is ready too);
/// - `/metrics`: the Prometheus text exposition of `registry`.
///
/// Shuts down gracefully with the service group.
public struct HealthServer: Service {
    let host: String
    let port: Int
    let registry: PrometheusCollectorRegistry
    let checks: [ReadinessCheck]
    let leaderElector: LeaderElector?
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    /// Creates the server.
    ///
    /// - Parameters:
    ///   - host: the address to bind (`0.0.0.0` in a pod).
    ///   - port: the port; 0 picks a free one (reported to `onServerRunning`).
    ///   - registry: the metrics to expose (`MetricsBootstrap.registry` in the controller).
    ///   - readinessChecks: what `/readyz` requires.
    ///   - leaderElector: reported by `/readyz` when set.
    ///   - logger: the server's logger.
    ///   - onServerRunning: called with the bound port once the server accepts connections.
    public init(
        host: String = "0.0.0.0",
        port: Int = 8081,
        registry: PrometheusCollectorRegistry,
        readinessChecks: [ReadinessCheck] = [],
        leaderElector: LeaderElector? = nil,
        logger: Logger = Logger(label: "lifeboat.health"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.registry = registry
        self.checks = readinessChecks
        self.leaderElector = leaderElector
        self.logger = logger
        self.onServerRunning = onServerRunning
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        let router = Router()
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { [checks, leaderElector] _, _ -> Response in
            var ready = true
            var lines: [String] = []
            for check in checks {
                let ok = await check.isReady()
                ready = ready && ok
                lines.append("[\(ok ? "+" : "-")]\(check.name) \(ok ? "ok" : "not ready")")
            }
            if let leaderElector {
                let leading = await leaderElector.isLeader
                lines.append("[+]leader-election \(leading ? "leader" : "standby") (\(leaderElector.configuration.identity))")
            }
            lines.append(ready ? "readyz check passed" : "readyz check failed")
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: lines.joined(separator: "\n") + "\n")))
        }
        router.get("metrics") { [registry] _, _ -> Response in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(4096)
            registry.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let callback = onServerRunning
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await callback(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        try await app.run()
    }
}
