/// `events.k8s.io/v1 Event`: a record of something that happened to an object.
///
/// Required on create: `eventTime` (MicroTime), `reportingController`, `reportingInstance`,
/// `action`, `reason`, `type` (`Normal` or `Warning`); see sample 17a.
public struct Event: KubernetesResource {
    /// `events.k8s.io`/`v1`/`events`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "events.k8s.io", version: "v1", kind: "Event", plural: "events", namespaced: true)
    /// `events.k8s.io/v1`.
    public var apiVersion: String?
    /// `Event`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// When the event first happened (MicroTime, six fractional digits).
    public var eventTime: String?
    /// Repeats of the same event, if any.
    public var series: EventSeries?
    /// The controller that emitted it, e.g. `lifeboat.dev/controller`.
    public var reportingController: String?
    /// The emitting instance, e.g. the pod name.
    public var reportingInstance: String?
    /// What the controller did, e.g. `Reconcile`.
    public var action: String?
    /// CamelCase reason, e.g. `BackupSucceeded`.
    public var reason: String?
    /// Human-readable description (at most 1 KiB).
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// The object the event is about.
    public var regarding: ObjectReference?
    /// A second object involved, if any.
    public var related: ObjectReference?

    /// Creates an Event with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, eventTime: String? = nil, series: EventSeries? = nil, reportingController: String? = nil, reportingInstance: String? = nil, action: String? = nil, reason: String? = nil, note: String? = nil, type: String? = nil, regarding: ObjectReference? = nil, related: ObjectReference? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.note = note
        self.type = type
        self.regarding = regarding
        self.related = related
    }
}

/// `events.k8s.io/v1 EventSeries`: how often an event repeated.
public struct EventSeries: Codable, Sendable, Hashable {
    /// Occurrences so far.
    public var count: Int32
    /// Last occurrence (MicroTime).
    public var lastObservedTime: String

    /// Creates a series.
    public init(count: Int32, lastObservedTime: String) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}
