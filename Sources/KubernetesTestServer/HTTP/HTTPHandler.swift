import Logging
import NIOCore
import NIOHTTP1

/// One HTTP/1.1 connection: collects a request, answers it through the ``Router``, and streams watches as chunked
/// responses with one JSON event per line (10a).
final class HTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let connections: ConnectionRegistry
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var watchID: Int?
    private var timers: [Scheduled<Void>] = []
    private var repeated: RepeatedTask?

    init(router: Router, connections: ConnectionRegistry) {
        self.router = router
        self.connections = connections
    }

    func channelActive(context: ChannelHandlerContext) {
        connections.add(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        connections.remove(context.channel)
        stopWatch()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            handle(context: context, head: head)
        }
    }

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead) {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        stopWatch()
        // With a client CA configured the TLS handshake only succeeds with a verified client certificate.
        let result = router.route(method: head.method.rawValue, uri: head.uri, headers: headers, body: body,
                                  clientCertificate: router.store.options.tls?.clientCAPEM != nil)
        body = []
        router.store.options.logger.debug("request", metadata: [
            "k8s.method": "\(head.method.rawValue)", "k8s.path": "\(head.uri)",
            "http.status": "\(result.statusCode)",
        ])
        switch result {
        case .response(let status, let extra, let bytes):
            var h = HTTPHeaders()
            h.add(name: "Cache-Control", value: "no-cache, private")
            for (n, v) in extra { h.add(name: n, value: v) }
            // Go's net/http sends Content-Length when the body fits its 2048-byte buffer, chunked otherwise (02a).
            if bytes.count <= 2048 { h.add(name: "Content-Length", value: String(bytes.count)) }
            if !head.isKeepAlive { h.add(name: "Connection", value: "close") }
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: h)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            let keepAlive = head.isKeepAlive
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        case .watch(let def, let namespace, let query):
            startWatch(context: context, head: head, def: def, namespace: namespace, query: query)
        }
    }

    private func startWatch(context: ChannelHandlerContext, head: HTTPRequestHead, def: ResourceDefinition,
                            namespace: String?, query: [String: String]) {
        let channel = context.channel
        let store = router.store
        var h = HTTPHeaders()
        h.add(name: "Cache-Control", value: "no-cache, private")
        h.add(name: "Content-Type", value: "application/json")
        h.add(name: "Transfer-Encoding", value: "chunked")
        // Always hop through the event loop's queue: the store calls this under its lock, and a synchronous write
        // could re-enter the store (a failing write closes the channel, whose handler then unregisters the watch).
        // The queue also keeps the lines in the order the store produced them.
        let send: @Sendable ([UInt8]) -> Void = { bytes in
            channel.eventLoop.execute {
                channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes))), promise: nil)
            }
        }
        let start: Store.WatchStart
        do throws(APIError) {
            // Validate before the 200 head so a bad selector is still an HTTP error.
            _ = try LabelSelector(query["labelSelector"])
            _ = try FieldSelector(query["fieldSelector"])
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: h))), promise: nil)
            start = try store.watch(def, namespace: namespace, query: query, send: send)
        } catch {
            let e = Router.error(error)
            if case .response(let status, let extra, let bytes) = e {
                var eh = HTTPHeaders()
                for (n, v) in extra { eh.add(name: n, value: v) }
                eh.add(name: "Content-Length", value: String(bytes.count))
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: status), headers: eh))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
            return
        }
        let loop = context.eventLoop
        guard case .open(let id) = start else {
            loop.execute { channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil) }
            return
        }
        watchID = id
        let interval = store.options.bookmarkInterval
        let bookmarks = query["allowWatchBookmarks"] == "true"
        if bookmarks, interval > 0 {
            let amount = TimeAmount.nanoseconds(Int64(interval * 1_000_000_000))
            repeated = loop.scheduleRepeatedTask(initialDelay: amount, delay: amount) { _ in store.sendBookmark(id) }
        }
        if let timeout = query["timeoutSeconds"].flatMap(Double.init), timeout > 0 {
            if bookmarks {
                // The real server sends a bookmark shortly before the timeout (10a: 73.3 s of 75 s).
                let lead = min(1.5, timeout / 2)
                timers.append(loop.scheduleTask(in: .nanoseconds(Int64((timeout - lead) * 1_000_000_000))) {
                    store.sendBookmark(id)
                })
            }
            timers.append(loop.scheduleTask(in: .nanoseconds(Int64(timeout * 1_000_000_000))) {
                store.unwatch(id)
                // Queued behind any line another thread handed to this channel before unwatch.
                loop.execute { channel.writeAndFlush(HTTPServerResponsePart.end(nil), promise: nil) }
            })
        }
    }

    private func stopWatch() {
        if let id = watchID { router.store.unwatch(id) }
        watchID = nil
        for t in timers { t.cancel() }
        timers = []
        repeated?.cancel()
        repeated = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}
