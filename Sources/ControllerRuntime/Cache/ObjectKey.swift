import KubernetesModels

/// The identity of an object in a cache and in a work queue: its namespace (nil for cluster-scoped
/// objects) and name. Reconcilers receive keys, never objects (level-triggered: read the current
/// state from the cache).
public struct ObjectKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The namespace, nil for cluster-scoped objects.
    public var namespace: String?
    /// The name.
    public var name: String

    /// Creates a key.
    public init(namespace: String?, name: String) {
        self.namespace = (namespace?.isEmpty ?? true) ? nil : namespace
        self.name = name
    }

    /// The key of an object (nil when the object has no name, e.g. a create with `generateName`).
    public init?(_ object: some KubernetesResource) {
        guard let name = object.metadata.name, !name.isEmpty else { return nil }
        self.init(namespace: object.metadata.namespace, name: name)
    }

    /// `namespace/name`, or `name` for cluster-scoped objects (as kubectl and client-go write keys).
    public var description: String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    /// Orders by namespace, then name.
    public static func < (lhs: ObjectKey, rhs: ObjectKey) -> Bool {
        (lhs.namespace ?? "", lhs.name) < (rhs.namespace ?? "", rhs.name)
    }

    /// A mapping for child objects labelled with their parent's name, e.g. a Job labelled
    /// `lifeboat.dev/policy: orders` maps to the policy key `<job's namespace>/orders`.
    /// Objects without the label map to no key.
    public static func fromLabel<R: KubernetesResource>(_ label: String) -> @Sendable (R) -> [ObjectKey] {
        { object in
            guard let parent = object.metadata.labels?[label], !parent.isEmpty else { return [] }
            return [ObjectKey(namespace: object.metadata.namespace, name: parent)]
        }
    }
}
