import AsyncHTTPClient
import Foundation
import KubernetesModels
import NIOCore

extension KubernetesClient {
    /// Watches a collection: `GET …?watch=1&allowWatchBookmarks=true&resourceVersion=…&timeoutSeconds=…`.
    ///
    /// The request starts when iteration starts; events arrive as the server sends them, one JSON
    /// line each. The sequence ends normally when the server closes the stream (`timeoutSeconds`):
    /// re-watch from the last `resourceVersion` seen. An ERROR event throws (410 → `isGone`: list
    /// again). Cancelling the iterating task, or dropping the iterator, closes the connection.
    ///
    /// - Parameters:
    ///   - type: the resource type.
    ///   - namespace: the namespace, or nil for all namespaces.
    ///   - options: resourceVersion, selectors, timeout, bookmarks.
    public func watch<R: KubernetesResource>(_ type: R.Type, namespace: String? = nil, options: WatchOptions = WatchOptions()) -> WatchSequence<R> {
        WatchSequence(client: self, path: ResourcePath.make(R.descriptor, namespace: namespace), options: options)
    }

    /// Watches any kind as JSON objects; see `watch(_:namespace:options:)`.
    public func watch(_ descriptor: ResourceDescriptor, namespace: String? = nil, options: WatchOptions = WatchOptions()) -> WatchSequence<JSONValue> {
        WatchSequence(client: self, path: ResourcePath.make(descriptor, namespace: namespace), options: options)
    }
}

/// The events of one watch request. Iterate it once.
public struct WatchSequence<Object: Decodable & Sendable>: AsyncSequence, Sendable {
    /// The element type.
    public typealias Element = WatchUpdate<Object>

    let client: KubernetesClient
    let path: String
    let options: WatchOptions

    /// Creates the iterator; the request is sent on the first `next()`.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client, path: path, options: options)
    }

    /// Reads the chunked body and splits it into lines.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let client: KubernetesClient
        let path: String
        let options: WatchOptions
        private var started = false
        private var finished = false
        private var body: HTTPClientResponse.Body.AsyncIterator?
        private var buffer = Data()
        /// Bytes of `buffer` already searched for a newline, so a large object arriving in many
        /// chunks is scanned once, not once per chunk.
        private var scanned = 0
        /// One decoder for the whole stream.
        private let decoder: JSONDecoder

        init(client: KubernetesClient, path: String, options: WatchOptions) {
            self.client = client
            self.path = path
            self.options = options
            self.decoder = client.makeDecoder()
        }

        private var label: String { "watch \(path)" }

        /// The next event, nil when the server ended the stream.
        public mutating func next() async throws -> WatchUpdate<Object>? {
            if finished { return nil }
            do {
                if !started {
                    started = true
                    try await open()
                }
                while true {
                    if let newline = buffer[(buffer.startIndex + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                        let line = Self.trimmed(buffer[buffer.startIndex..<newline])
                        buffer.removeSubrange(buffer.startIndex...newline)
                        scanned = 0
                        if line.isEmpty { continue }
                        return try WatchLine<Object>.parse(line, label: label, decoder: decoder)
                    }
                    scanned = buffer.count
                    let chunk: ByteBuffer?
                    do {
                        chunk = try await body?.next()
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        throw KubernetesError(code: .transport, message: "the watch connection to \(client.baseURL) broke (\(label)); re-watch from the last resourceVersion", request: label, underlying: error)
                    }
                    guard let chunk else {
                        // Clean end (timeoutSeconds). A last line without "\n" still counts.
                        finished = true
                        body = nil
                        let rest = Self.trimmed(buffer[...])
                        buffer = Data()
                        return rest.isEmpty ? nil : try WatchLine<Object>.parse(rest, label: label, decoder: decoder)
                    }
                    buffer.append(contentsOf: chunk.readableBytesView)
                }
            } catch {
                finished = true
                body = nil
                throw error
            }
        }

        /// The line without surrounding spaces, tabs, CR or LF (inside the JSON nothing changes).
        static func trimmed(_ line: Data.SubSequence) -> Data {
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
            guard let first = line.firstIndex(where: { !isSpace($0) }), let last = line.lastIndex(where: { !isSpace($0) }) else { return Data() }
            return Data(line[first...last])
        }

        private mutating func open() async throws {
            let request = try client.makeRequest(method: .GET, path: path, query: options.query, body: nil, contentType: nil)
            // No read timeout on watches: the server's timeoutSeconds bounds the stream; the
            // deadline is only a backstop for a server that never ends it.
            var deadline = NIODeadline.distantFuture
            if let timeoutSeconds = options.timeoutSeconds {
                deadline = NIODeadline.now() + TimeAmount.seconds(Int64(timeoutSeconds) + 60)
            }
            let response = try await client.start(request, label: label, deadline: deadline)
            guard response.status.code == 200 else {
                let bytes = (try? await response.body.collect(upTo: 1024 * 1024)) ?? ByteBuffer()
                throw KubernetesClient.apiError(status: response.status, body: bytes, label: label)
            }
            body = response.body.makeAsyncIterator()
        }
    }
}
