import LifeboatAPI

/// An Event the controller should emit about a BackupPolicy (events.k8s.io/v1 `type`, `reason`, `action`, `note`).
public struct PolicyEvent: Sendable, Hashable {
    /// `Normal` or `Warning`.
    public enum EventType: String, Sendable, Hashable {
        /// Something expected happened.
        case normal = "Normal"
        /// Something needs attention.
        case warning = "Warning"
    }

    /// The `action` of an Event announcing a run's outcome (its name derives from the run, never from a time).
    public static let recordRunAction = "RecordRun"

    /// The longest note events.k8s.io/v1 accepts (1 kB).
    public static let noteLimit = 1024

    /// Normal or Warning.
    public var type: EventType
    /// CamelCase reason, e.g. `BackupSucceeded`, `SecretNotFound`.
    public var reason: String
    /// What the controller did, e.g. `RecordRun`, `ValidateSpec`.
    public var action: String
    /// What happened, in words a person can act on (at most `noteLimit` bytes).
    public var note: String
    /// The Job the event is about, if any (events.k8s.io `related`).
    public var relatedJobName: String?
    /// What makes this occurrence distinct from an earlier identical one (e.g. the condition's lastTransitionTime),
    /// so the same rejection after a recovery is announced again while a retried write is not.
    public var occurrence: String?

    /// Creates an event; `note` is cut to `noteLimit` bytes.
    public init(type: EventType, reason: String, action: String, note: String, relatedJobName: String? = nil, occurrence: String? = nil) {
        self.type = type
        self.reason = reason
        self.action = action
        self.note = note.utf8.count <= Self.noteLimit ? note : String(decoding: Array(note.utf8.prefix(Self.noteLimit - 3)), as: UTF8.self) + "…"
        self.relatedJobName = relatedJobName
        self.occurrence = occurrence
    }
}
