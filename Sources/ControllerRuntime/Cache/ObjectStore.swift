import KubernetesClient
import KubernetesModels

/// The in-memory content of an informer: objects by key, and the pure rules for applying watch
/// events and list results to it. No I/O, so it is tested directly.
public struct ObjectStore<R: KubernetesResource>: Sendable {
    /// The cached objects.
    public private(set) var objects: [ObjectKey: R] = [:]

    /// An empty store.
    public init() {}

    /// Applies one watch event and answers the change it made (nil for a bookmark, an object
    /// without a name, or an update that repeats the cached resourceVersion).
    public mutating func apply(_ update: WatchUpdate<R>) -> InformerEvent<R>? {
        switch update {
        case .bookmark:
            return nil
        case .added(let object), .modified(let object):
            guard let key = ObjectKey(object) else { return nil }
            if let old = objects[key] {
                if old.metadata.resourceVersion == object.metadata.resourceVersion, old == object { return nil }
                objects[key] = object
                return .updated(old: old, new: object)
            }
            objects[key] = object
            return .added(object)
        case .deleted(let object):
            guard let key = ObjectKey(object) else { return nil }
            let last = objects.removeValue(forKey: key) ?? object
            return .deleted(last)
        }
    }

    /// Replaces the content with a fresh list and answers the differences: `.added` for new keys,
    /// `.updated` for changed resourceVersions, and a synthesised `.deleted` for each cached
    /// object that is no longer listed (it was deleted while no watch was running).
    public mutating func replace(with items: [R]) -> [InformerEvent<R>] {
        var fresh: [ObjectKey: R] = [:]
        for item in items {
            if let key = ObjectKey(item) { fresh[key] = item }
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
        objects = fresh
        return events
    }
}
