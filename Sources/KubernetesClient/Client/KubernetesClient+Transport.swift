import AsyncHTTPClient
import Foundation
import KubernetesModels
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A fully read response.
struct RawResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

/// Media types the client sends.
enum MediaType {
    static let json = "application/json"
    static let mergePatch = "application/merge-patch+json"
    static let jsonPatch = "application/json-patch+json"
    static let applyPatch = "application/apply-patch+yaml"
}

extension KubernetesClient {
    /// Largest response body read into memory (a list of many objects can be large).
    static let maxBodyBytes = 256 * 1024 * 1024

    /// Builds the request: URL, method, Accept, User-Agent, Authorization, Content-Type.
    func makeRequest(method: HTTPMethod, path: String, query: [(String, String)], body: Data?, contentType: String?) throws -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Accept", value: MediaType.json)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        switch configuration.authentication {
        case .none:
            break
        case .bearerToken(let token):
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .bearerTokenFile:
            if let tokenSource {
                request.headers.add(name: "Authorization", value: "Bearer \(try tokenSource.token())")
            }
        case .basic(let username, let password):
            request.headers.add(name: "Authorization", value: "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())")
        }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? MediaType.json)
            request.body = .bytes(ByteBuffer(data: body))
        }
        return request
    }

    /// Sends a request and returns the response head with its body still streaming.
    func start(_ request: HTTPClientRequest, label: String, deadline: NIODeadline) async throws -> HTTPClientResponse {
        do {
            return try await httpClient.execute(request, deadline: deadline, logger: nil)
        } catch let error as KubernetesError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw KubernetesError(code: .transport, message: "the API server at \(baseURL) did not answer \(label) in time", request: label, underlying: error)
        } catch {
            throw KubernetesError(code: .transport, message: "cannot reach the API server at \(baseURL) (\(label))", request: label, underlying: error)
        }
    }

    /// Sends a request, reads the whole body, and throws a `KubernetesError` for any status ≥ 300.
    ///
    /// A 401 with a token file re-reads the file at once and, when the token changed, retries once:
    /// a token rotated in place (same size and modification time) is picked up without waiting
    /// for `tokenRefreshInterval`.
    func send(method: HTTPMethod, path: String, query: [(String, String)] = [], body: Data? = nil, contentType: String? = nil) async throws -> RawResponse {
        do {
            return try await sendOnce(method: method, path: path, query: query, body: body, contentType: contentType)
        } catch let error as KubernetesError where error.isUnauthorized {
            guard let tokenSource, try tokenSource.reload() else { throw error }
            logger.debug("the API server refused the token; retrying with the re-read token file", metadata: ["k8s.request": "\(method.rawValue) \(path)"])
            return try await sendOnce(method: method, path: path, query: query, body: body, contentType: contentType)
        }
    }

    private func sendOnce(method: HTTPMethod, path: String, query: [(String, String)], body: Data?, contentType: String?) async throws -> RawResponse {
        let label = "\(method.rawValue) \(path)"
        let request = try makeRequest(method: method, path: path, query: query, body: body, contentType: contentType)
        let deadline = NIODeadline.now() + TimeAmount(configuration.requestTimeout)
        let response = try await start(request, label: label, deadline: deadline)
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: Self.maxBodyBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw KubernetesError(code: .transport, message: "the connection to \(baseURL) broke while reading the answer to \(label)", statusCode: Int(response.status.code), request: label, underlying: error)
        }
        logger.debug("kubernetes request", metadata: ["k8s.request": "\(label)", "http.status": "\(response.status.code)"])
        // `Warning: 299 - "unknown field \"spec.x\""`: the server pruned something we sent (08b).
        for warning in response.headers["Warning"] {
            logger.warning("the API server warned about a request", metadata: ["k8s.request": "\(label)", "k8s.warning": "\(warning)"])
        }
        guard (200..<300).contains(response.status.code) else {
            throw Self.apiError(status: response.status, body: buffer, label: label)
        }
        return RawResponse(status: response.status, headers: response.headers, body: buffer)
    }

    /// The error for a non-2xx answer: the `Status` when the body is one, else the body text.
    static func apiError(status: HTTPResponseStatus, body: ByteBuffer, label: String) -> KubernetesError {
        let code = Int(status.code)
        if let decoded = try? JSONDecoder().decode(Status.self, from: body), decoded.kind == "Status" || decoded.reason != nil {
            return KubernetesError(status: decoded, httpStatus: code, request: label)
        }
        let text = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = text.isEmpty ? "HTTP \(code) \(status.reasonPhrase)" : "HTTP \(code): \(text.prefix(500))"
        return KubernetesError(code: .api, message: "\(label): \(summary)", statusCode: code, responseBody: text, request: label)
    }

    /// A decoder for responses and watch events, honouring `configuration.decodesManagedFields`.
    func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        if !configuration.decodesManagedFields { decoder.userInfo[.skipManagedFields] = true }
        return decoder
    }

    /// Decodes a response body, naming the type and the request when it fails.
    func decode<T: Decodable>(_ type: T.Type, from body: ByteBuffer, label: String) throws -> T {
        do {
            return try makeDecoder().decode(T.self, from: body)
        } catch {
            throw KubernetesError(code: .decoding, message: "the answer to \(label) is not a valid \(T.self): \(error)", request: label, underlying: error)
        }
    }

    /// Encodes a request body as compact JSON.
    func encode<T: Encodable>(_ value: T, label: String) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        do {
            return try encoder.encode(value)
        } catch {
            throw KubernetesError(code: .encoding, message: "cannot encode the body of \(label): \(error)", request: label, underlying: error)
        }
    }

    /// `?a=b&c=d`, every byte outside RFC 3986's unreserved set percent-encoded (selectors contain `=`, `,`, `!`, spaces).
    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
    }

    static func percentEncode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
