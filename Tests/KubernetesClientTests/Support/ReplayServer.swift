import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request as the replay server received it.
struct ReceivedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(name: String, value: String)]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
    var path: String { String(uri.split(separator: "?", maxSplits: 1)[0]) }
    var query: [QueryItem] {
        URLComponents(string: "http://x" + uri)?.queryItems?.map { QueryItem(name: $0.name, value: $0.value ?? "") } ?? []
    }
}

/// What the replay server answers to the next request.
struct ReplayResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data
    /// Send the body chunked in pieces of this many bytes (watch streams), splitting lines across chunks.
    var chunkSize: Int?
    /// Send the head and never finish (a watch that waits); the client must close the connection.
    var hang = false

    /// The captured response of a sample exchange: status, headers and body as in the sample
    /// (JSON bodies stay re-indented, which any JSON reader accepts; watch bodies are one event per line).
    static func captured(_ message: WireMessage, chunkSize: Int? = nil) -> ReplayResponse {
        let hopByHop: Set<String> = ["content-length", "transfer-encoding"]
        let headers = message.headers.filter { !hopByHop.contains($0.name.lowercased()) }
        let chunked = message.header("Transfer-Encoding") == "chunked"
        var body = message.bodyIsPlaceholder ? Data() : Data(message.body.utf8)
        if !body.isEmpty { body.append(UInt8(ascii: "\n")) }
        return ReplayResponse(status: message.statusCode, headers: headers, body: body, chunkSize: chunked ? (chunkSize ?? 97) : nil)
    }
}

/// A loopback HTTP/1.1 server that answers requests, in order, with scripted responses (the
/// captured ones of the k8s-wire samples) and records what it received.
final class ReplayServer: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [ReplayResponse]
    private var received: [ReceivedRequest] = []
    private var closedConnections = 0
    private var channel: (any Channel)?

    /// The base URL, e.g. `http://127.0.0.1:54321`.
    private(set) var url = ""

    private let tls: TLSConfiguration?

    /// Creates a server; with `tls` it speaks HTTPS (and may require client certificates).
    init(responses: [ReplayResponse], tls: TLSConfiguration? = nil) {
        self.pending = responses
        self.tls = tls
    }

    /// The requests received so far.
    var requests: [ReceivedRequest] { lock.withLock { received } }
    /// Connections the client closed or that ended.
    var closed: Int { lock.withLock { closedConnections } }

    /// Adds responses to the script.
    func enqueue(_ response: ReplayResponse) {
        lock.withLock { pending.append(response) }
    }

    func start() async throws {
        let sslContext = try tls.map { try NIOSSLContext(configuration: $0) }
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ReplayHandler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        url = "\(tls == nil ? "http" : "https")://127.0.0.1:\(channel.localAddress?.port ?? 0)"
    }

    func stop() async {
        try? await channel?.close()
    }

    fileprivate func next(for request: ReceivedRequest) -> ReplayResponse {
        lock.withLock {
            received.append(request)
            if pending.isEmpty {
                return ReplayResponse(status: 599, headers: [("Content-Type", "text/plain")], body: Data("replay server: no response scripted for \(request.method) \(request.uri)\n".utf8))
            }
            return pending.removeFirst()
        }
    }

    fileprivate func connectionClosed() {
        lock.withLock { closedConnections += 1 }
    }

    /// Runs the client code against a started server and stops the server afterwards.
    static func with<T>(_ responses: [ReplayResponse], tls: TLSConfiguration? = nil, _ body: (ReplayServer) async throws -> T) async throws -> T {
        let server = ReplayServer(responses: responses, tls: tls)
        try await server.start()
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}

private final class ReplayHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: ReplayServer
    private var head: HTTPRequestHead?
    private var body = Data()

    init(server: ReplayServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = Data()
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            let request = ReceivedRequest(method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
            respond(context: context, with: server.next(for: request))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.connectionClosed()
        context.fireChannelInactive()
    }

    private func respond(context: ChannelHandlerContext, with response: ReplayResponse) {
        var headers = HTTPHeaders(response.headers.map { ($0.name, $0.value) })
        if response.chunkSize != nil || response.hang {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else {
            headers.add(name: "Content-Length", value: String(response.body.count))
        }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if response.hang {
            context.flush()
            return
        }
        if let size = response.chunkSize {
            var offset = 0
            while offset < response.body.count {
                let end = min(offset + size, response.body.count)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body[offset..<end])))), promise: nil)
                offset = end
            }
        } else if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
