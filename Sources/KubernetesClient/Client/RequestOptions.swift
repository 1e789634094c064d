import KubernetesModels

/// Options of a list request.
public struct ListOptions: Sendable, Hashable {
    /// Label selector, e.g. `lifeboat.dev/policy=orders` or `tier in (gold,silver),!archived`.
    public var labelSelector: String?
    /// Field selector, e.g. `metadata.name=orders` (custom resources support only name and namespace).
    public var fieldSelector: String?
    /// Page size; the answer then carries a `continue` token while more items remain.
    public var limit: Int?
    /// The token of the previous page.
    public var continueToken: String?
    /// Serve the list at or after this resourceVersion (see `resourceVersionMatch`).
    public var resourceVersion: String?
    /// `Exact` or `NotOlderThan`.
    public var resourceVersionMatch: String?

    /// Creates list options.
    public init(labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil, resourceVersion: String? = nil, resourceVersionMatch: String? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continueToken = continueToken
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { query.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        return query
    }
}

/// Options of a watch request.
public struct WatchOptions: Sendable, Hashable {
    /// Start after this resourceVersion (usually the list's). Nil or `"0"` replays current objects as ADDED first.
    public var resourceVersion: String?
    /// Label selector.
    public var labelSelector: String?
    /// Field selector.
    public var fieldSelector: String?
    /// The server ends the stream cleanly after this many seconds; re-watch from the last resourceVersion.
    public var timeoutSeconds: Int?
    /// Ask for BOOKMARK events (about every minute and before the timeout).
    public var allowWatchBookmarks: Bool
    /// Stream the current objects as ADDED first (`sendInitialEvents=true&resourceVersionMatch=NotOlderThan`);
    /// with bookmarks, a BOOKMARK with `isInitialEventsEnd` marks the end of them (a list without a list request).
    public var sendInitialEvents: Bool

    /// Creates watch options.
    public init(resourceVersion: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil, timeoutSeconds: Int? = 300, allowWatchBookmarks: Bool = true, sendInitialEvents: Bool = false) {
        self.resourceVersion = resourceVersion
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
    }

    var query: [(String, String)] {
        var query: [(String, String)] = [("watch", "1")]
        if sendInitialEvents {
            query.append(("sendInitialEvents", "true"))
            query.append(("resourceVersionMatch", "NotOlderThan"))
        }
        if allowWatchBookmarks { query.append(("allowWatchBookmarks", "true")) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector { query.append(("fieldSelector", fieldSelector)) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        return query
    }
}

/// Options of a delete request (sent as a `DeleteOptions` body).
public struct DeleteOptions: Sendable, Hashable, Encodable {
    /// How dependents go: `Background`, `Foreground` or `Orphan`.
    public enum PropagationPolicy: String, Sendable, Hashable, Encodable {
        /// Delete the object now; the garbage collector removes dependents afterwards.
        case background = "Background"
        /// Keep the object (with the `foregroundDeletion` finalizer) until blocking dependents are gone.
        case foreground = "Foreground"
        /// Leave dependents, removing their ownerReferences.
        case orphan = "Orphan"
    }

    /// Preconditions: the delete fails with 409 Conflict unless the object still has this uid / resourceVersion.
    public struct Preconditions: Sendable, Hashable, Encodable {
        /// Required uid.
        public var uid: String?
        /// Required resourceVersion.
        public var resourceVersion: String?

        /// Creates preconditions.
        public init(uid: String? = nil, resourceVersion: String? = nil) {
            self.uid = uid
            self.resourceVersion = resourceVersion
        }
    }

    /// How dependents go; nil is the resource's default.
    public var propagationPolicy: PropagationPolicy?
    /// Conditions the object must still meet.
    public var preconditions: Preconditions?
    /// Grace period for pods; 0 deletes at once.
    public var gracePeriodSeconds: Int?

    /// Creates delete options.
    public init(propagationPolicy: PropagationPolicy? = nil, preconditions: Preconditions? = nil, gracePeriodSeconds: Int? = nil) {
        self.propagationPolicy = propagationPolicy
        self.preconditions = preconditions
        self.gracePeriodSeconds = gracePeriodSeconds
    }

    var isEmpty: Bool { propagationPolicy == nil && preconditions == nil && gracePeriodSeconds == nil }

    private enum CodingKeys: String, CodingKey { case kind, apiVersion, propagationPolicy, preconditions, gracePeriodSeconds }

    /// Encodes as `{"kind":"DeleteOptions","apiVersion":"v1",…}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("DeleteOptions", forKey: .kind)
        try container.encode("v1", forKey: .apiVersion)
        try container.encodeIfPresent(propagationPolicy, forKey: .propagationPolicy)
        try container.encodeIfPresent(preconditions, forKey: .preconditions)
        try container.encodeIfPresent(gracePeriodSeconds, forKey: .gracePeriodSeconds)
    }
}

/// What a DELETE answered: the object went at once (a `Status`), or deletion is deferred by
/// finalizers or foreground propagation (the object, now with a `deletionTimestamp`).
public enum DeleteResult<Object: Sendable>: Sendable {
    /// Deleted at once; the Status carries `details.uid`.
    case deleted(Status)
    /// Still there, being deleted: finalizers must run first.
    case deleting(Object)

    /// True when the object no longer exists.
    public var isDeleted: Bool {
        if case .deleted = self { return true }
        return false
    }
}
