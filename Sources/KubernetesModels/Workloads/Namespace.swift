/// `core/v1 Namespace` (cluster-scoped).
public struct Namespace: KubernetesResource, HasStatus {
    /// core `v1`/`namespaces`, cluster-scoped.
    public static let descriptor = ResourceDescriptor(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false)
    /// `v1`.
    public var apiVersion: String?
    /// `Namespace`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Finalizers (server default `["kubernetes"]`).
    public var spec: NamespaceSpec?
    /// Phase and deletion conditions.
    public var status: NamespaceStatus?

    /// Creates a Namespace with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: NamespaceSpec? = nil, status: NamespaceStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1 NamespaceSpec`.
public struct NamespaceSpec: Codable, Sendable, Hashable {
    /// Finalizers that must be cleared before the namespace goes.
    public var finalizers: [String]?

    /// Creates a namespace spec.
    public init(finalizers: [String]? = nil) {
        self.finalizers = finalizers
    }
}

/// `core/v1 NamespaceStatus`.
public struct NamespaceStatus: Codable, Sendable, Hashable {
    /// `Active` or `Terminating`.
    public var phase: String?
    /// Deletion progress conditions, kept as raw JSON.
    public var conditions: [JSONValue]?

    /// Creates a namespace status.
    public init(phase: String? = nil, conditions: [JSONValue]? = nil) {
        self.phase = phase
        self.conditions = conditions
    }
}
