import KubernetesModels

/// One event of a watch stream, typed.
///
/// ERROR events are not values: they end the stream by throwing a `KubernetesError` (a too-old
/// resourceVersion gives `isGone`, and the caller lists again).
public enum WatchUpdate<Object: Sendable>: Sendable {
    /// The object was created (or, when watching from no resourceVersion, already existed).
    case added(Object)
    /// The object changed.
    case modified(Object)
    /// The object is gone; this is its last state, with a new resourceVersion.
    case deleted(Object)
    /// No change, but the watch has seen everything up to this resourceVersion.
    case bookmark(WatchBookmark)

    /// The object of an added/modified/deleted event.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark: nil
        }
    }

    /// The event types a `WatchUpdate` can have (ERROR events are thrown, not yielded).
    public enum Kind: String, Sendable, Hashable {
        /// `ADDED`.
        case added = "ADDED"
        /// `MODIFIED`.
        case modified = "MODIFIED"
        /// `DELETED`.
        case deleted = "DELETED"
        /// `BOOKMARK`.
        case bookmark = "BOOKMARK"
    }

    /// The event type as on the wire.
    public var type: Kind {
        switch self {
        case .added: .added
        case .modified: .modified
        case .deleted: .deleted
        case .bookmark: .bookmark
        }
    }
}

extension WatchUpdate where Object: KubernetesResource {
    /// The resourceVersion to resume a watch from after this event.
    public var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object.metadata.resourceVersion
        case .bookmark(let bookmark): bookmark.resourceVersion
        }
    }
}

/// The object of a BOOKMARK event: only `metadata.resourceVersion` (and, after
/// `sendInitialEvents`, the `k8s.io/initial-events-end` annotation).
public struct WatchBookmark: Sendable, Hashable, Decodable {
    /// The resourceVersion the watch has reached.
    public var resourceVersion: String
    /// The bookmark's annotations, if any.
    public var annotations: [String: String]?

    /// True for the bookmark that closes the initial events of a `sendInitialEvents` watch.
    public var isInitialEventsEnd: Bool { annotations?["k8s.io/initial-events-end"] == "true" }

    /// Creates a bookmark.
    public init(resourceVersion: String, annotations: [String: String]? = nil) {
        self.resourceVersion = resourceVersion
        self.annotations = annotations
    }

    private struct Metadata: Decodable {
        var resourceVersion: String?
        var annotations: [String: String]?
    }

    private enum CodingKeys: String, CodingKey { case metadata }

    /// Decodes `{"apiVersion":…,"kind":…,"metadata":{"resourceVersion":"358"}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let metadata = try container.decode(Metadata.self, forKey: .metadata)
        self.resourceVersion = metadata.resourceVersion ?? ""
        self.annotations = metadata.annotations
    }
}

extension WatchUpdate where Object == JSONValue {
    /// The resourceVersion to resume a watch from after this event (`metadata.resourceVersion` of the JSON object).
    public var resourceVersion: String? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object["metadata"]?["resourceVersion"]?.stringValue
        case .bookmark(let bookmark): bookmark.resourceVersion
        }
    }
}
