import KubernetesClient
import KubernetesModels

/// The in-memory content of an informer: objects by key, and the pure rules for applying watch
/// events and list results to it. No I/O, so it is tested directly.
///
/// Two indexes keep reads proportional to what they answer, not to the whole cache (client-go's
/// indexers): keys by namespace, and, when `indexedLabel` is set, keys by namespace and that
/// label's value (e.g. the CronJobs of one policy among thousands).
public struct ObjectStore<R: KubernetesResource>: Sendable {
    /// The cached objects.
    public private(set) var objects: [ObjectKey: R] = [:]
    /// The label whose values are indexed, if any.
    public let indexedLabel: String?
    /// Applied to every object before it is stored (see `Informer.Transform`).
    let transform: @Sendable (R) -> R
    private var byNamespace: [String: Set<ObjectKey>] = [:]
    private var byLabel: [LabelIndexKey: Set<ObjectKey>] = [:]

    /// An empty store.
    ///
    /// - Parameters:
    ///   - indexedLabel: a label to index by value, for `keys(namespace:labelValue:)`.
    ///   - transform: applied to every object before it is stored (the identity by default).
    public init(indexedLabel: String? = nil, transform: @escaping @Sendable (R) -> R = { $0 }) {
        self.indexedLabel = indexedLabel
        self.transform = transform
    }

    /// The keys in `namespace` (nil: cluster-scoped objects), unsorted.
    public func keys(namespace: String?) -> Set<ObjectKey> {
        byNamespace[namespace ?? ""] ?? []
    }

    /// The keys in `namespace` whose `indexedLabel` has `value`, unsorted (empty without an indexed label).
    public func keys(namespace: String?, labelValue value: String) -> Set<ObjectKey> {
        byLabel[LabelIndexKey(namespace: namespace ?? "", value: value)] ?? []
    }

    /// Applies one watch event and answers the change it made (nil for a bookmark, an object
    /// without a name, or an update that repeats the cached resourceVersion).
    public mutating func apply(_ update: WatchUpdate<R>) -> InformerEvent<R>? {
        switch update {
        case .bookmark:
            return nil
        case .added(let received), .modified(let received):
            guard let key = ObjectKey(received) else { return nil }
            let object = transform(received)
            if let old = objects[key] {
                if old.metadata.resourceVersion == object.metadata.resourceVersion, old == object { return nil }
                store(object, key: key, replacing: old)
                return .updated(old: old, new: object)
            }
            store(object, key: key, replacing: nil)
            return .added(object)
        case .deleted(let received):
            guard let key = ObjectKey(received) else { return nil }
            guard let last = objects.removeValue(forKey: key) else { return .deleted(transform(received)) }
            unindex(last, key: key)
            return .deleted(last)
        }
    }

    /// Replaces the content with a fresh list and answers the differences: `.added` for new keys,
    /// `.updated` for changed resourceVersions, and a synthesised `.deleted` for each cached
    /// object that is no longer listed (it was deleted while no watch was running).
    public mutating func replace(with items: [R]) -> [InformerEvent<R>] {
        var fresh: [ObjectKey: R] = [:]
        for item in items {
            if let key = ObjectKey(item) { fresh[key] = transform(item) }
        }
        var events: [InformerEvent<R>] = []
        for key in fresh.keys.sorted() {
            let item = fresh[key]!
            if let old = objects[key] {
                if old.metadata.resourceVersion != item.metadata.resourceVersion || old != item {
                    events.append(.updated(old: old, new: item))
                }
            } else {
                events.append(.added(item))
            }
        }
        for key in objects.keys.sorted() where fresh[key] == nil {
            events.append(.deleted(objects[key]!))
        }
        objects = [:]
        byNamespace = [:]
        byLabel = [:]
        for (key, item) in fresh { store(item, key: key, replacing: nil) }
        return events
    }

    private mutating func store(_ object: R, key: ObjectKey, replacing old: R?) {
        if let old { unindex(old, key: key) }
        objects[key] = object
        byNamespace[key.namespace ?? "", default: []].insert(key)
        if let value = labelValue(object) {
            byLabel[LabelIndexKey(namespace: key.namespace ?? "", value: value), default: []].insert(key)
        }
    }

    private mutating func unindex(_ object: R, key: ObjectKey) {
        let namespace = key.namespace ?? ""
        byNamespace[namespace]?.remove(key)
        if byNamespace[namespace]?.isEmpty == true { byNamespace[namespace] = nil }
        if let value = labelValue(object) {
            let indexKey = LabelIndexKey(namespace: namespace, value: value)
            byLabel[indexKey]?.remove(key)
            if byLabel[indexKey]?.isEmpty == true { byLabel[indexKey] = nil }
        }
    }

    private func labelValue(_ object: R) -> String? {
        guard let indexedLabel else { return nil }
        return object.metadata.labels?[indexedLabel]
    }
}

/// A namespace and a label value: one bucket of `ObjectStore`'s label index.
struct LabelIndexKey: Hashable, Sendable {
    var namespace: String
    var value: String
}
