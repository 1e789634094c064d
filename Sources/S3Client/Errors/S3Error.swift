/// An S3 request failure: the service's error code (or a transport failure), with the context a
/// person needs to fix it.
///
/// `description` is an actionable sentence. It never contains the secret key, the session token or
/// the Authorization header.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// An S3 error code (`NoSuchBucket`, `SlowDown` …) or a transport failure of this client.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code as S3 spells it (`NoSuchKey`) or a transport code of this client (`ConnectionFailed`).
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The raw code.
        public var description: String { rawValue }

        /// The bucket does not exist.
        public static let noSuchBucket = Code(rawValue: "NoSuchBucket")
        /// The object does not exist.
        public static let noSuchKey = Code(rawValue: "NoSuchKey")
        /// The multipart upload does not exist (completed or aborted).
        public static let noSuchUpload = Code(rawValue: "NoSuchUpload")
        /// The credentials are not allowed to do this.
        public static let accessDenied = Code(rawValue: "AccessDenied")
        /// The access key id is unknown.
        public static let invalidAccessKeyId = Code(rawValue: "InvalidAccessKeyId")
        /// The signature does not match: usually a wrong secret key.
        public static let signatureDoesNotMatch = Code(rawValue: "SignatureDoesNotMatch")
        /// The session token has expired.
        public static let expiredToken = Code(rawValue: "ExpiredToken")
        /// A condition (`If-None-Match: *`) failed: the object already exists.
        public static let preconditionFailed = Code(rawValue: "PreconditionFailed")
        /// S3 asks the client to slow down.
        public static let slowDown = Code(rawValue: "SlowDown")
        /// S3 timed out waiting for the request body.
        public static let requestTimeout = Code(rawValue: "RequestTimeout")
        /// An internal S3 error.
        public static let internalError = Code(rawValue: "InternalError")
        /// S3 is unavailable for now.
        public static let serviceUnavailable = Code(rawValue: "ServiceUnavailable")
        /// Throttling (some S3-compatible stores).
        public static let throttling = Code(rawValue: "Throttling")
        /// A 404 without an S3 error body (HEAD requests have none).
        public static let notFound = Code(rawValue: "NotFound")
        /// The connection could not be made or broke (transport failure of this client).
        public static let connectionFailed = Code(rawValue: "ConnectionFailed")
        /// The request did not complete before its deadline (transport failure of this client).
        public static let timedOut = Code(rawValue: "TimedOut")
        /// The response could not be understood (transport failure of this client).
        public static let invalidResponse = Code(rawValue: "InvalidResponse")
        /// An HTTP error without an S3 error code.
        public static let httpError = Code(rawValue: "HTTPError")
    }

    /// The S3 error code or transport code.
    public var code: Code
    /// The HTTP status, when a response arrived.
    public var httpStatus: Int?
    /// The service's message, or the transport failure's description.
    public var message: String
    /// The operation (`PutObject`, `GetObject` …).
    public var operation: String
    /// The bucket.
    public var bucket: String
    /// The object key, when the request was about one object.
    public var key: String?
    /// The endpoint as shown to people.
    public var endpoint: String
    /// S3's request id (`x-amz-request-id` or `<RequestId>`), for a support case.
    public var requestId: String?
    /// How many attempts were made before giving up.
    public var attempts: Int

    /// Creates an error.
    public init(
        code: Code, httpStatus: Int?, message: String, operation: String, bucket: String, key: String?,
        endpoint: String, requestId: String? = nil, attempts: Int = 1
    ) {
        self.code = code
        self.httpStatus = httpStatus
        self.message = message
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.endpoint = endpoint
        self.requestId = requestId
        self.attempts = attempts
    }

    /// The object, bucket or upload does not exist (404).
    public var isNotFound: Bool {
        httpStatus == 404 || [.noSuchKey, .noSuchBucket, .noSuchUpload, .notFound].contains(code)
    }

    /// A conditional write failed: the object already exists (`If-None-Match: *` → 412).
    public var isPreconditionFailed: Bool {
        code == .preconditionFailed || httpStatus == 412
    }

    /// Whether another attempt may succeed: 5xx, 429, throttling, S3's request timeout, client
    /// timeouts and connection failures. Never 4xx such as 403, 404 or 412.
    public var isRetryable: Bool {
        switch code {
        case .slowDown, .requestTimeout, .internalError, .serviceUnavailable, .throttling,
            .connectionFailed, .timedOut:
            return true
        default:
            break
        }
        if ["ThrottlingException", "TooManyRequestsException"].contains(code.rawValue) { return true }
        guard let httpStatus else { return false }
        return httpStatus >= 500 || httpStatus == 429
    }

    /// What went wrong and what to do about it.
    public var description: String {
        let object = key.map { "\"\($0)\" in bucket \"\(bucket)\"" } ?? "bucket \"\(bucket)\""
        var text: String
        switch code {
        case .noSuchBucket:
            text = "S3 bucket \"\(bucket)\" does not exist at endpoint \(endpoint) (NoSuchBucket): create it or fix --repo"
        case .invalidAccessKeyId:
            text = "S3 rejected the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"
        case .signatureDoesNotMatch:
            text = "S3 rejected the request signature (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY "
                + "and that the region is the bucket's region"
        case .expiredToken:
            text = "S3 rejected the credentials (ExpiredToken): the session token has expired; refresh AWS_SESSION_TOKEN"
        case .accessDenied:
            text = "S3 denied \(operation) of \(object) (AccessDenied): the credentials in AWS_ACCESS_KEY_ID "
                + "are not allowed to do this; check their policy and the bucket policy"
        case .noSuchKey, .notFound:
            text = "S3 object \(object) does not exist at endpoint \(endpoint) (\(code))"
        case .noSuchUpload:
            text = "S3 multipart upload of \(object) no longer exists (NoSuchUpload): it was completed or aborted"
        case .preconditionFailed:
            text = "S3 object \(object) already exists (PreconditionFailed): it is never overwritten"
        case .connectionFailed:
            text = "cannot reach S3 endpoint \(endpoint): \(message)"
        case .timedOut:
            text = "S3 \(operation) of \(object) timed out at endpoint \(endpoint): \(message)"
        case .invalidResponse:
            text = "S3 endpoint \(endpoint) sent a response to \(operation) of \(object) that is not S3's: \(message)"
        default:
            let status = httpStatus.map { "HTTP \($0)" } ?? "no response"
            text = "S3 \(operation) of \(object) at endpoint \(endpoint) failed with \(status) (\(code))"
            if !message.isEmpty { text += ": \(message)" }
        }
        if attempts > 1 { text += " (after \(attempts) attempts)" }
        if let requestId, !requestId.isEmpty { text += " [request id \(requestId)]" }
        return text
    }
}
