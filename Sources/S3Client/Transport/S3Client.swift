import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A small S3 client over AsyncHTTPClient, signing with AWS Signature Version 4.
///
/// Every request is retried with exponential backoff and jitter when the failure is transient
/// (``S3Error/isRetryable``); bodies are held in memory so each attempt is replayable. Keys are
/// URI-encoded per SigV4 (each segment, `/` kept) and never normalised.
public struct S3Client: Sendable {
    /// The bucket, endpoint, credentials and policies this client uses.
    public let configuration: S3Configuration
    /// The HTTP client requests go through.
    public let httpClient: HTTPClient
    /// The logger for retries and failures; no secret ever reaches it.
    public let logger: Logger
    let signer: SigV4Signer

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - httpClient: shared by default; the client does not shut it down.
    ///   - logger: receives a warning for each retry (metadata `s3.operation`, `s3.bucket`, `s3.key`, `s3.attempt`).
    public init(configuration: S3Configuration, httpClient: HTTPClient = .shared, logger: Logger) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "s3")
    }

    /// The host (with a non-default port), the URL prefix and the path of a request.
    func address(key: String?) -> (host: String, base: String, path: String) {
        let bucket = configuration.bucket
        let scheme: String
        var host: String
        var port: Int?
        if let endpoint = configuration.endpoint {
            scheme = endpoint.scheme ?? "https"
            host = endpoint.host ?? "localhost"
            port = endpoint.port
        } else {
            scheme = "https"
            host = "s3.\(configuration.region).amazonaws.com"
        }
        var path: String
        switch configuration.addressingStyle {
        case .path:
            path = "/" + bucket
            if let key { path += "/" + key }
        case .virtualHost:
            host = bucket + "." + host
            path = "/" + (key ?? "")
        }
        if let p = port, !((scheme == "http" && p == 80) || (scheme == "https" && p == 443)) {
            host += ":\(p)"
        }
        return (host, "\(scheme)://\(host)", path)
    }

    /// Sends `request`, retrying transient failures; returns the response of a 2xx status and throws
    /// ``S3Error`` otherwise. `accepting` lists extra statuses that are returned rather than thrown.
    /// With `errorsIn200`, a 200 whose body is an S3 `<Error>` document (CompleteMultipartUpload can
    /// answer so) is treated as that error, and retried when it is transient.
    func perform(
        _ request: S3Request, accepting extraStatuses: Set<Int> = [], bodyLimit: Int = 64 << 20, errorsIn200: Bool = false
    ) async throws -> S3Response {
        try await withRetries(request) { () async throws -> S3Response in
            let response = try await execute(request, timeout: configuration.requestTimeout)
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: bodyLimit)
            } catch is NIOTooManyBytesError {
                throw S3Error(
                    code: .invalidResponse, httpStatus: Int(response.status.code),
                    message: "the response is larger than \(bodyLimit) bytes; stream it with getObject(key:consume:)",
                    operation: request.operation, bucket: configuration.bucket, key: request.key,
                    endpoint: configuration.endpointDescription)
            } catch {
                throw transportError(error, request: request)
            }
            let status = Int(response.status.code)
            if errorsIn200, status == 200, let xml = try? S3XMLElement.parse(body.readableBytesView), xml.name == "Error" {
                throw serviceError(status: status, headers: response.headers, body: body, request: request)
            }
            if (200..<300).contains(status) || extraStatuses.contains(status) {
                return S3Response(status: status, headers: response.headers, body: body)
            }
            throw serviceError(status: status, headers: response.headers, body: body, request: request)
        }
    }

    /// Runs `attempt` up to the policy's number of attempts while it throws a retryable ``S3Error``.
    func withRetries<T>(_ request: S3Request, _ attempt: () async throws -> T) async throws -> T {
        let policy = configuration.retryPolicy
        var number = 1
        while true {
            do {
                return try await attempt()
            } catch var error as S3Error {
                error.attempts = number
                guard error.isRetryable, number < policy.maxAttempts else { throw error }
                let delay = policy.delay(beforeRetry: number)
                logger.warning(
                    "S3 request failed, retrying",
                    metadata: [
                        "s3.operation": "\(request.operation)", "s3.bucket": "\(configuration.bucket)",
                        "s3.key": "\(request.key ?? "")", "s3.attempt": "\(number)",
                        "s3.error_code": "\(error.code)", "s3.http_status": "\(error.httpStatus.map(String.init) ?? "none")",
                        "s3.retry_in_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                    ])
                try await Task.sleep(for: delay)
                number += 1
            }
        }
    }

    /// Signs and sends one attempt of `request`; the body of the response is not read yet.
    func execute(_ request: S3Request, timeout: Duration, extraHeaders: [SigV4Header] = []) async throws -> HTTPClientResponse {
        let prepared = prepare(request, date: Date(), extraHeaders: extraHeaders)
        var httpRequest = HTTPClientRequest(url: prepared.url)
        httpRequest.method = request.method
        for header in prepared.headers { httpRequest.headers.add(name: header.name, value: header.value) }
        if let body = request.body {
            httpRequest.body = .bytes(body)
        } else if request.method == .PUT || request.method == .POST {
            httpRequest.headers.replaceOrAdd(name: "Content-Length", value: "0")
        }
        do {
            return try await httpClient.execute(httpRequest, deadline: .now() + .init(timeout), logger: nil)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw transportError(error, request: request)
        }
    }

    /// The URL and signed headers of one attempt of `request` at `date` (what ``execute`` sends).
    func prepare(_ request: S3Request, date: Date, extraHeaders: [SigV4Header] = []) -> (url: String, headers: [SigV4Header], signature: SigV4Signature) {
        let (host, base, path) = address(key: request.key)
        let payloadHash = request.body.map { SigV4Signer.hexSHA256($0) } ?? SigV4Signer.emptyPayloadSHA256
        var headers = [SigV4Header("Host", host), SigV4Header("x-amz-content-sha256", payloadHash)]
        headers += request.headers + extraHeaders
        let signed = signer.sign(
            SigV4Request(method: request.method.rawValue, path: path, query: request.query, headers: headers, payloadSHA256: payloadHash),
            date: date)
        var url = base + SigV4Signer.uriEncode(path, encodeSlash: false)
        let query = SigV4Signer.canonicalQuery(request.query)
        if !query.isEmpty { url += "?" + query }
        return (url, signed.headers, signed)
    }

    /// Turns an error response into an ``S3Error`` carrying S3's code, message and request id.
    func serviceError(status: Int, headers: HTTPHeaders, body: ByteBuffer, request: S3Request) -> S3Error {
        var code: S3Error.Code
        var message = ""
        var requestId = headers.first(name: "x-amz-request-id")
        if body.readableBytes > 0, let xml = try? S3XMLElement.parse(body.readableBytesView), xml.name == "Error" {
            code = S3Error.Code(rawValue: xml.value("Code") ?? "HTTPError")
            message = xml.value("Message") ?? ""
            requestId = xml.value("RequestId") ?? requestId
        } else {
            switch status {
            case 404: code = .notFound
            case 403: code = .accessDenied
            case 412: code = .preconditionFailed
            case 503: code = .serviceUnavailable
            case 500: code = .internalError
            default: code = .httpError
            }
            if body.readableBytes > 0 && body.readableBytes < 512 {
                message = String(buffer: body).trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return S3Error(
            code: code, httpStatus: status, message: message, operation: request.operation,
            bucket: configuration.bucket, key: request.key, endpoint: configuration.endpointDescription,
            requestId: requestId)
    }

    /// Turns a transport failure (refused, reset, timed out) into an ``S3Error``.
    func transportError(_ error: any Error, request: S3Request) -> S3Error {
        if let s3Error = error as? S3Error { return s3Error }
        let detail = String(describing: error)
        let lowered = detail.lowercased()
        let code: S3Error.Code
        let message: String
        if let httpError = error as? HTTPClientError,
            httpError == .deadlineExceeded || httpError == .readTimeout || httpError == .connectTimeout
                || httpError == .writeTimeout
        {
            code = .timedOut
            message = "\(detail) (request timeout \(configuration.requestTimeout))"
        } else if lowered.contains("refused") || lowered.contains("econnrefused") {
            code = .connectionFailed
            message = "connection refused"
        } else if error is CancellationError {
            code = .httpError
            message = "cancelled"
        } else {
            code = .connectionFailed
            message = detail
        }
        return S3Error(
            code: code, httpStatus: nil, message: message, operation: request.operation,
            bucket: configuration.bucket, key: request.key, endpoint: configuration.endpointDescription)
    }
}
