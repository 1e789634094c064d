/// A change an informer applied to its cache, handed to its event handlers.
///
/// Deletions synthesised after a re-list (an object that vanished while the watch was down)
/// are `.deleted` with the last state the cache knew.
public enum InformerEvent<Object: Sendable>: Sendable {
    /// The object appeared in the cache.
    case added(Object)
    /// The object changed; `old` is the cached state before the change.
    case updated(old: Object, new: Object)
    /// The object left the cache.
    case deleted(Object)

    /// The object after the change (for `.deleted`, its last known state).
    public var object: Object {
        switch self {
        case .added(let object), .deleted(let object): object
        case .updated(_, let new): new
        }
    }
}
