import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A Kubernetes API server for tests, on loopback, that keeps the real server's semantics for the resources the
/// Lifeboat controller uses: resourceVersion and 409 on stale writes, generation, the status subresource, merge/JSON/
/// strategic patches and server-side apply, list paging and selectors, watches with bookmarks and 410, finalizers,
/// owner-reference garbage collection, namespaces that terminate. The wire format follows the captures in
/// `shared/k8s-wire` (kube-apiserver v1.36).
///
/// ```swift
/// let server = try await KubernetesTestServer.start(options: .init(bookmarkInterval: 1))
/// server.register(ResourceDefinition(group: "lifeboat.dev", version: "v1alpha1", kind: "BackupPolicy",
///                                    plural: "backuppolicies", defaults: ["spec": ["suspend": false]]))
/// // point the client at server.baseURL (plain HTTP, no auth unless Options.bearerToken is set) …
/// let stored = server.object(group: "lifeboat.dev", version: "v1alpha1", plural: "backuppolicies",
///                            namespace: "default", name: "orders")
/// try await server.shutdown()
/// ```
///
/// Built-ins registered at start: namespaces (with `default`, `kube-system`, `kube-public`), secrets, configmaps,
/// persistentvolumeclaims, pods, events (core/v1, and events.k8s.io/v1 as a view of the same storage), batch/v1 jobs
/// and cronjobs, apps/v1 deployments, coordination.k8s.io/v1 leases. Nothing runs Jobs or Pods on its own: tests call
/// ``runCronJob(namespace:name:scheduledAt:)`` and ``finishJob(namespace:name:exitCode:terminationMessage:)``, which
/// write what the real controllers and the kubelet write (samples 14c–14f, 15a, 15b).
///
/// Known simplifications: strategic merge patch and server-side apply merge lists by a fixed table of keys
/// (`containers`, `env`, `volumes` … by name, `conditions` by type); SMP directives other than `$patch: delete` are not
/// supported; no discovery, tables, protobuf or HTTP/2; Pods are deleted at once (no kubelet to wait for); a list
/// from a future resourceVersion answers 504 at once instead of after 3 s.
public final class KubernetesTestServer: Sendable {
    /// Tunables for tests.
    public struct Options: Sendable {
        /// Seconds between BOOKMARK events on watches that allow them (the real server: about 60 s).
        public var bookmarkInterval: Double
        /// Seconds before the garbage collector acts on owner references and deletions (the real one: about 0.3 s).
        public var garbageCollectionDelay: Double
        /// When set, requests must carry `Authorization: Bearer <token>`: none → 403 as `system:anonymous`,
        /// another token → 401 (sample 18).
        public var bearerToken: String?
        /// Receives one debug line per request (`k8s.method`, `k8s.path`, `http.status`); silent by default.
        public var logger: Logger
        /// How many events the watch history keeps, like the real watch cache's window; older resourceVersions then
        /// get 410 on watch and on continue. Nil keeps everything until ``KubernetesTestServer/compact()``.
        public var watchHistoryLimit: Int?
        /// Serve HTTPS with these certificates instead of plain HTTP.
        public var tls: TLS?

        /// Creates options; the defaults match the real server.
        public init(bookmarkInterval: Double = 60, garbageCollectionDelay: Double = 0.3, bearerToken: String? = nil,
                    logger: Logger = Logger(label: "lifeboat.k8s-test-server", factory: { _ in SwiftLogNoOpLogHandler() }),
                    watchHistoryLimit: Int? = nil, tls: TLS? = nil) {
            self.bookmarkInterval = bookmarkInterval
            self.garbageCollectionDelay = garbageCollectionDelay
            self.bearerToken = bearerToken
            self.logger = logger
            self.watchHistoryLimit = watchHistoryLimit
            self.tls = tls
        }
    }

    let store: Store
    let group: MultiThreadedEventLoopGroup
    let serverChannel: Channel
    let connections: ConnectionRegistry
    /// The port the server listens on.
    public let port: Int
    /// The address the server listens on.
    public let host: String
    /// Whether the server speaks HTTPS.
    public let usesTLS: Bool

    private init(host: String, store: Store, group: MultiThreadedEventLoopGroup, serverChannel: Channel,
                 connections: ConnectionRegistry) {
        self.host = host
        self.usesTLS = store.options.tls != nil
        self.store = store
        self.group = group
        self.serverChannel = serverChannel
        self.connections = connections
        self.port = serverChannel.localAddress?.port ?? 0
    }

    /// Starts a server; `port: 0` picks a free port (read it from ``baseURL``).
    public static func start(host: String = "127.0.0.1", port: Int = 0, options: Options = .init()) async throws -> KubernetesTestServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let store = Store(options: options) { delay, work in
            loop.scheduleTask(in: .nanoseconds(Int64(delay * 1_000_000_000))) { work() }
        }
        let connections = ConnectionRegistry()
        do {
            let sslContext = try options.tls?.makeContext()
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 256)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let sslContext {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                        }
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(
                            HTTPHandler(router: Router(store: store), connections: connections))
                    }
                }
                .bind(host: host, port: port).get()
            return KubernetesTestServer(host: host, store: store, group: group, serverChannel: channel, connections: connections)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// `http://127.0.0.1:PORT` (the host the server was started on; `https` with ``Options/tls``).
    public var baseURL: String { "\(usesTLS ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Closes every connection and the listening socket and stops the event loop.
    public func shutdown() async throws {
        connections.closeAll()
        try? await serverChannel.close().get()
        try await group.shutdownGracefully()
    }

    /// Registers a custom resource (or replaces a registration with the same group, version and plural).
    public func register(_ resource: ResourceDefinition) { store.register(resource) }

    /// Forgets the event history: a later watch from an older resourceVersion gets the 410 ERROR event, and an older
    /// continue token gets 410.
    public func compact() { store.compact() }

    /// Simulates an API server restart: drops every open connection and watch, keeps the data. With
    /// `compactHistory`, watches and continue tokens from before the restart then get 410, as after a real restart
    /// rebuilt the watch cache (sample 11b).
    public func restart(compactHistory: Bool = false) async throws {
        connections.closeAll()
        if compactHistory { store.compact() }
    }

    /// Changes the accepted bearer token (e.g. to test that a client re-reads a rotated service-account token);
    /// nil turns authentication off.
    public func setBearerToken(_ token: String?) { store.withLock { store.bearerToken = token } }

    /// Every request received so far, oldest first.
    public var requestLog: [RecordedRequest] { store.withLock { store.requestLog } }

    /// Forgets the recorded requests.
    public func clearRequestLog() { store.withLock { store.requestLog.removeAll() } }

    /// The current global resourceVersion (the last write's).
    public var currentResourceVersion: Int { store.withLock { store.rv } }

    /// The stored object, exactly as GET would return it, or nil.
    public func object(group: String = "", version: String, plural: String, namespace: String?, name: String) -> JSONValue? {
        store.withLock {
            guard let def = store.definitions["\(group)/\(version)/\(plural)"] else { return nil }
            return store.stored(def, namespace, name)
        }
    }

    /// All stored objects of a resource (in one namespace, or all when `namespace` is nil), sorted by namespace/name.
    public func objects(group: String = "", version: String, plural: String, namespace: String? = nil) -> [JSONValue] {
        store.withLock {
            guard let def = store.definitions["\(group)/\(version)/\(plural)"] else { return [] }
            return (store.objects[def.storageID] ?? [:]).values.map(def.fromStorage)
                .filter { namespace == nil || $0[path: "metadata", "namespace"]?.stringValue == namespace }
                .sorted { Store.sortKey($0) < Store.sortKey($1) }
        }
    }
}
