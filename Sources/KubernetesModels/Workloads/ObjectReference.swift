/// `core/v1 ObjectReference`: points at another object (CronJob `status.active`, Event `regarding`).
public struct ObjectReference: Codable, Sendable, Hashable {
    /// API version of the referent, e.g. `batch/v1`.
    public var apiVersion: String?
    /// Kind of the referent, e.g. `Job`.
    public var kind: String?
    /// Namespace of the referent.
    public var namespace: String?
    /// Name of the referent.
    public var name: String?
    /// UID of the referent.
    public var uid: String?
    /// The referent's resourceVersion when the reference was made.
    public var resourceVersion: String?
    /// A field path within the referent, e.g. `spec.containers{backup}`.
    public var fieldPath: String?

    /// Creates a reference.
    public init(apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String? = nil, uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}
