import ArgumentParser
import ControllerRuntime
import Foundation
import KubernetesClient
import LifeboatController
import Logging
import ServiceLifecycle

/// `lifeboat-controller run`: the operator's main loop.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Watch BackupPolicies and reconcile them (in a pod: the in-cluster ServiceAccount; outside: a kubeconfig).")

    @Option(name: .long, help: "Kubeconfig file (default: in-cluster when run in a pod, else KUBECONFIG or ~/.kube/config).")
    var kubeconfig: String?

    @Option(name: .long, help: "Kubeconfig context (default: its current-context).")
    var context: String?

    @Option(name: .long, help: "Watch only this namespace (default: all namespaces).")
    var namespace: String?

    @Option(name: .customLong("metrics-port"), help: "Port of /healthz, /readyz and /metrics.")
    var metricsPort: Int = 8080

    @Option(name: .customLong("metrics-host"), help: "Address the health and metrics server binds.")
    var metricsHost: String = "0.0.0.0"

    @Option(name: .customLong("leader-election"), help: "Elect a leader through a Lease so only one replica acts (true/false).")
    var leaderElection: Bool = true

    @Option(name: .customLong("leader-election-namespace"), help: "Namespace of the leader-election Lease (default: POD_NAMESPACE, else the kubeconfig's namespace).")
    var leaderElectionNamespace: String?

    @Option(name: .customLong("worker-image"), help: "Image of the worker Jobs when a policy names none.")
    var workerImage: String = "ghcr.io/lifeboat-dev/lifeboat:\(LifeboatControllerVersion.current)"

    @Option(name: .customLong("worker-service-account"), help: "ServiceAccount of the worker Jobs when a policy names none.")
    var workerServiceAccount: String?

    @Option(name: .long, help: "Concurrent reconciles of different policies.")
    var workers: Int = 4

    func validate() throws {
        guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 0-65535") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        var logger = Logger(label: "lifeboat.controller")
        logger.logLevel = ProcessInfo.processInfo.environment["LIFEBOAT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var configuration: KubernetesClientConfiguration
        do {
            if let kubeconfig {
                configuration = try .kubeconfig(path: kubeconfig, context: context)
            } else {
                configuration = try .load(context: context)
            }
        } catch {
            logger.critical("cannot configure the Kubernetes client: \(error)")
            throw ExitCode(2)
        }
        // Nothing in the controller reads managedFields; skipping them halves the cost of decoding a CronJob.
        configuration.decodesManagedFields = false
        logger.info("starting", metadata: ["k8s.server": "\(configuration.server)", "version": "\(LifeboatControllerVersion.current)"])
        let client = try KubernetesClient(configuration: configuration, logger: logger)
        let identity = ProcessInfo.processInfo.environment["POD_NAME"] ?? "\(ProcessInfo.processInfo.hostName)-\(getpid())"
        var elector: LeaderElector?
        if leaderElection {
            let leaseNamespace = leaderElectionNamespace ?? ProcessInfo.processInfo.environment["POD_NAMESPACE"] ?? configuration.namespace
            elector = LeaderElector(
                client: client,
                configuration: LeaderElectionConfiguration(leaseName: "lifeboat-controller", namespace: leaseNamespace, identity: identity),
                logger: logger)
        }
        let settings = BuilderSettings(defaultImage: workerImage, defaultServiceAccountName: workerServiceAccount)
        let registry = MetricsBootstrap.registry
        let controller = await BackupPolicyOperator.make(
            client: client, settings: settings, instance: identity, namespace: namespace, leaderElector: elector, workers: workers, logger: logger)
        let health = HealthServer(
            host: metricsHost, port: metricsPort, registry: registry,
            readinessChecks: [.synced(controller.caches.policies, name: "backuppolicies")], leaderElector: elector, logger: logger)
        var services: [any Service] = controller.services + [health]
        if let elector { services.append(elector) }
        let group = ServiceGroup(configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            logger.error("stopped: \(error)")
        }
        try? await client.shutdown()
    }
}

/// The controller's version, reported in logs and used as the default worker image tag.
enum LifeboatControllerVersion {
    static let current = "0.1.0"
}
