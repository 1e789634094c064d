import KubernetesModels

/// An error from the client: an API error carrying the server's `Status`, a transport failure,
/// a body that did not decode, or an unusable configuration.
///
/// Ask it what happened with `isNotFound`, `isConflict`, `isGone`, …; they look at the HTTP code
/// and the Status `reason`, so they also work for an ERROR event inside a 200 watch stream.
public struct KubernetesError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure; extensible.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        /// The server answered with an error (`status` holds its Status, or `responseBody` its text).
        public static let api = Code(name: "api")
        /// The server could not be reached or the connection broke.
        public static let transport = Code(name: "transport")
        /// A response body was not what the client expected.
        public static let decoding = Code(name: "decoding")
        /// A request body could not be encoded.
        public static let encoding = Code(name: "encoding")
        /// The configuration or the credentials cannot be used.
        public static let configuration = Code(name: "configuration")
        /// The caller asked for something impossible (a namespaced object without a namespace).
        public static let invalidRequest = Code(name: "invalidRequest")
        /// The name.
        public var description: String { name }
    }

    /// What kind of failure.
    public var code: Code
    /// A message a person can act on. Never contains credentials.
    public var message: String
    /// The HTTP status code, or the Status `code` of a watch ERROR event.
    public var statusCode: Int?
    /// The server's `Status`, when the error body was one.
    public var status: Status?
    /// The raw body when it was not a Status (e.g. `404 page not found` for an unknown path).
    public var responseBody: String?
    /// The request, `METHOD /path`, without the query.
    public var request: String?
    /// The underlying error (transport or decoding).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(code: Code, message: String, statusCode: Int? = nil, status: Status? = nil, responseBody: String? = nil, request: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.statusCode = statusCode
        self.status = status
        self.responseBody = responseBody
        self.request = request
        self.underlying = underlying
    }

    /// An API error from a `Status` (an error response or a watch ERROR event).
    public init(status: Status, httpStatus: Int? = nil, request: String? = nil) {
        let code = status.code ?? httpStatus
        var message = status.message ?? status.reason ?? "the API server answered \(code.map(String.init) ?? "with an error")"
        if let request { message = "\(request): \(message)" }
        self.init(code: .api, message: message, statusCode: code, status: status, request: request)
    }

    /// The Status `reason`, e.g. `NotFound`, `Conflict`, `Expired`.
    public var reason: String? { status?.reason }

    /// 404 NotFound.
    public var isNotFound: Bool { code == .api && (statusCode == 404 || reason == "NotFound") }
    /// 409 with reason `Conflict`: a stale resourceVersion or a failed precondition ("requeue soon").
    public var isConflict: Bool { code == .api && statusCode == 409 && (reason == "Conflict" || reason == nil) }
    /// 409 with reason `AlreadyExists`: a create of an existing name.
    public var isAlreadyExists: Bool { code == .api && reason == "AlreadyExists" }
    /// 410 Gone / Expired: the resourceVersion or continue token is too old; list again.
    public var isGone: Bool { code == .api && (statusCode == 410 || reason == "Expired" || reason == "Gone") }
    /// 403 Forbidden (RBAC, or a create in a terminating namespace).
    public var isForbidden: Bool { code == .api && (statusCode == 403 || reason == "Forbidden") }
    /// 401 Unauthorized (bad or expired credentials).
    public var isUnauthorized: Bool { code == .api && (statusCode == 401 || reason == "Unauthorized") }
    /// 422 Invalid: the object failed validation; `causes` name the fields.
    public var isInvalid: Bool { code == .api && (statusCode == 422 || reason == "Invalid") }
    /// 504 Timeout or 429 TooManyRequests: try again later (`retryAfterSeconds`).
    public var isRetryable: Bool { code == .transport || (code == .api && [429, 500, 503, 504].contains(statusCode ?? 0)) }
    /// The causes of a 422 or an SSA conflict.
    public var causes: [StatusCause] { status?.details?.causes ?? [] }
    /// The server's `details.retryAfterSeconds`, if any.
    public var retryAfterSeconds: Int? { status?.details?.retryAfterSeconds }

    /// The message, with the HTTP code and reason when known.
    public var description: String {
        var text = "KubernetesError(\(code)"
        if let statusCode { text += " \(statusCode)" }
        if let reason { text += " \(reason)" }
        text += "): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
