/// Where a resource type lives in the API: enough to build its URLs.
public struct ResourceDescriptor: Sendable, Hashable {
    /// API group, empty for the core group.
    public var group: String
    /// API version within the group, e.g. `v1alpha1`.
    public var version: String
    /// CamelCase kind, e.g. `BackupPolicy`.
    public var kind: String
    /// Lower-case plural used in paths, e.g. `backuppolicies`.
    public var plural: String
    /// Whether objects live in a namespace (paths then carry `/namespaces/<ns>`).
    public var namespaced: Bool

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// Creates a descriptor.
    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
    }
}

/// A typed Kubernetes object the client can read and write.
public protocol KubernetesResource: Codable, Sendable, Hashable {
    /// The resource's place in the API.
    static var descriptor: ResourceDescriptor { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: ObjectMeta { get set }
}

/// A resource with a status subresource.
public protocol HasStatus: KubernetesResource {
    associatedtype StatusType: Codable, Sendable, Hashable
    var status: StatusType? { get set }
}

/// `{"kind": "…List", "items": […]}`.
public struct ResourceList<Item: KubernetesResource>: Codable, Sendable, Hashable {
    /// `<group>/<version>` of the items (custom resource lists carry it).
    public var apiVersion: String?
    /// `<Kind>List`.
    public var kind: String?
    /// resourceVersion of the snapshot and the paging state.
    public var metadata: ListMeta?
    /// The objects, `[]` when none.
    public var items: [Item]

    /// Creates a list.
    public init(metadata: ListMeta? = nil, items: [Item]) {
        self.metadata = metadata
        self.items = items
    }
}

/// One line of a watch stream.
public struct WatchEvent<Object: Codable & Sendable>: Sendable {
    /// ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.
    public enum Kind: String, Codable, Sendable { case added = "ADDED", modified = "MODIFIED", deleted = "DELETED", bookmark = "BOOKMARK", error = "ERROR" }
    /// The event type.
    public var type: Kind
    /// The object as of this event (a Status for ERROR, a bare resourceVersion for BOOKMARK).
    public var object: Object

    /// Creates a watch event.
    public init(type: Kind, object: Object) {
        self.type = type
        self.object = object
    }
}
