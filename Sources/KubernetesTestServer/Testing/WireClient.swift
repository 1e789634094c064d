import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A minimal HTTP/1.1 client that shows the wire as it is (status, headers, raw body bytes, watch lines), used by
/// this target's own tests to check the server against the k8s-wire samples.
struct WireClient: Sendable {
    /// One answer.
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// The body parsed as JSON (nil when it is not JSON).
        var json: JSONValue? { try? JSONParser.parse(body) }
    }

    let host: String
    let port: Int
    var userAgent = "lifeboat-capture/1.0"
    var extraHeaders: [(String, String)] = []
    /// HTTPS with this client context (trust roots, optional client certificate); the server's IP is verified.
    var tls: NIOSSLContext?

    /// A client TLS context trusting `caPEM` (or the system roots when nil), with an optional client certificate.
    static func tlsContext(caPEM: String?, certificatePEM: String? = nil, keyPEM: String? = nil) throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if let caPEM { config.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8))) }
        if let certificatePEM, let keyPEM {
            config.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
            config.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        }
        return try NIOSSLContext(configuration: config)
    }

    init(port: Int, host: String = "127.0.0.1") {
        self.host = host
        self.port = port
    }

    private func connect() async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let tls = self.tls
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: nil)) }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func head(_ method: String, _ path: String, contentType: String?, length: Int?) -> HTTPRequestHead {
        var h = HTTPHeaders()
        h.add(name: "Host", value: "\(host):\(port)")
        h.add(name: "User-Agent", value: userAgent)
        h.add(name: "Accept", value: "application/json")
        if let contentType { h.add(name: "Content-Type", value: contentType) }
        if let length { h.add(name: "Content-Length", value: String(length)) }
        for (n, v) in extraHeaders { h.replaceOrAdd(name: n, value: v) }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path, headers: h)
    }

    /// Sends one request on a fresh connection and reads the whole answer.
    func send(_ method: String, _ path: String, body: String? = nil,
              contentType: String = "application/json") async throws -> Response {
        let channel = try await connect()
        let bytes = body.map { Array($0.utf8) }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head(method, path, contentType: bytes == nil ? nil : contentType, length: bytes?.count)))
            if let bytes { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
            try await outbound.write(.end(nil))
            var response = Response(status: 0, headers: [], body: [])
            for try await part in inbound {
                switch part {
                case .head(let h):
                    response.status = Int(h.status.code)
                    response.headers = h.headers.map { ($0.name, $0.value) }
                case .body(var b):
                    response.body += b.readBytes(length: b.readableBytes) ?? []
                case .end:
                    return response
                }
            }
            throw IncompleteResponse(received: response.status)
        }
    }

    /// The connection closed before a whole response arrived.
    struct IncompleteResponse: Error, CustomStringConvertible {
        let received: Int
        var description: String { "the connection closed before a complete response (status \(received))" }
    }

    /// Convenience for JSON bodies given as `JSONValue`.
    func send(_ method: String, _ path: String, json: JSONValue, contentType: String = "application/json") async throws -> Response {
        try await send(method, path, body: JSONWriter.string(json, shape: nil), contentType: contentType)
    }

    /// The result of a watch: status, headers, the lines received, and whether the server ended the stream.
    struct WatchResult: Sendable {
        var status: Int
        var headers: [(String, String)]
        var lines: [String]
        var endedByServer: Bool
        /// The lines parsed as events.
        var events: [JSONValue] { lines.compactMap { try? JSONParser.parse($0) } }
        var types: [String] { events.compactMap { $0["type"]?.stringValue } }
    }

    /// Opens a watch, runs `during` once the response head arrived, and collects lines until `until` is satisfied,
    /// the server ends the stream, or `timeout` seconds pass.
    func watch(_ path: String, timeout: Double, until: @escaping @Sendable ([String]) -> Bool = { _ in false }) async throws -> WatchResult {
        try await watch(path, timeout: timeout, until: until, during: {})
    }

    /// Like ``watch(_:timeout:until:)``, running `during` (the writes under test) once the response head arrived.
    func watch(_ path: String, timeout: Double, until: @escaping @Sendable ([String]) -> Bool = { _ in false },
               during: @escaping @Sendable () async throws -> Void) async throws -> WatchResult {
        let channel = try await connect()
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(.head(head("GET", path, contentType: nil, length: nil)))
            try await outbound.write(.end(nil))
            let box = WatchBox()
            return try await withThrowingTaskGroup(of: WatchResult.self) { group in
                group.addTask {
                    var pending: [UInt8] = []
                    var startedDuring = false
                    // A connection the server drops mid-stream (restart) ends the watch without endedByServer.
                    do {
                    for try await part in inbound {
                        switch part {
                        case .head(let h):
                            box.update { $0.status = Int(h.status.code); $0.headers = h.headers.map { ($0.name, $0.value) } }
                            if !startedDuring {
                                startedDuring = true
                                try await during()
                            }
                        case .body(var b):
                            pending += b.readBytes(length: b.readableBytes) ?? []
                            while let nl = pending.firstIndex(of: UInt8(ascii: "\n")) {
                                let line = String(decoding: pending[..<nl], as: UTF8.self)
                                box.update { $0.lines.append(line) }
                                pending.removeSubrange(...nl)
                            }
                            if until(box.snapshot.lines) { return box.snapshot }
                        case .end:
                            box.update { $0.endedByServer = true }
                            return box.snapshot
                        }
                    }
                    } catch is CancellationError {
                        return box.snapshot
                    } catch HTTPParserError.invalidEOFState {
                        return box.snapshot
                    } catch let error as ChannelError where error == .ioOnClosedChannel || error == .eof {
                        return box.snapshot
                    }
                    return box.snapshot
                }
                group.addTask {
                    try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                    return box.snapshot
                }
                defer { group.cancelAll() }
                return try await group.next() ?? box.snapshot
            }
        }
    }

}

/// Lines collected by a watch so far, shared between the reader and the timer.
final class WatchBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = WireClient.WatchResult(status: 0, headers: [], lines: [], endedByServer: false)

    func update(_ body: (inout WireClient.WatchResult) -> Void) {
        lock.lock(); defer { lock.unlock() }
        body(&value)
    }

    var snapshot: WireClient.WatchResult {
        lock.lock(); defer { lock.unlock() }
        return value
    }
}
