/// `metav1.Status`: the body of every API error (and of some successful deletes).
public struct Status: Codable, Sendable, Hashable, Error {
    /// `Status`.
    public var kind: String?
    /// `v1`.
    public var apiVersion: String?
    /// List metadata; an expired continue answer carries a fresh token here.
    public var metadata: ListMeta?
    /// `Success` or `Failure`.
    public var status: String?
    /// Human-readable description of the failure.
    public var message: String?
    /// CamelCase reason, e.g. `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `Expired`, `Gone`.
    public var reason: String?
    /// The object concerned and the causes.
    public var details: StatusDetails?
    /// Equals the HTTP status code.
    public var code: Int?

    /// Creates a status.
    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, details: StatusDetails? = nil, code: Int? = nil) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.metadata = ListMeta()
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }
}

/// `metav1.StatusDetails`.
public struct StatusDetails: Codable, Sendable, Hashable {
    /// Name of the object concerned.
    public var name: String?
    /// API group of the object (omitted for the core group).
    public var group: String?
    /// Plural resource (NotFound, Conflict) or Kind (Invalid) of the object.
    public var kind: String?
    /// UID of the object (set on a successful delete).
    public var uid: String?
    /// Per-field causes (422 Invalid, SSA conflicts).
    public var causes: [StatusCause]?
    /// Seconds to wait before retrying (504, 429).
    public var retryAfterSeconds: Int?

    /// Creates status details.
    public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil, causes: [StatusCause]? = nil, retryAfterSeconds: Int? = nil) {
        self.name = name
        self.group = group
        self.kind = kind
        self.uid = uid
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

/// `metav1.StatusCause`: one reason a request failed, often naming a field.
public struct StatusCause: Codable, Sendable, Hashable {
    /// CamelCase reason, e.g. `FieldValueInvalid`, `FieldManagerConflict`.
    public var reason: String?
    /// Human-readable description of the cause.
    public var message: String?
    /// The field, e.g. `spec.retention.daily` (SSA conflicts: `.spec.retention.daily`).
    public var field: String?

    /// Creates a cause.
    public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
        self.reason = reason
        self.message = message
        self.field = field
    }
}
