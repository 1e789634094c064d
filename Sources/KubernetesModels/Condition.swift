/// `metav1.Condition`: one observation of an aspect of an object's state.
public struct Condition: Codable, Sendable, Hashable {
    /// CamelCase type, e.g. `Ready`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: ConditionStatus
    /// The generation the condition was computed from.
    public var observedGeneration: Int64?
    /// When `status` last changed (RFC 3339, whole seconds).
    public var lastTransitionTime: String
    /// CamelCase machine-readable reason.
    public var reason: String
    /// Human-readable message a person can act on.
    public var message: String

    /// Creates a condition.
    public init(type: String, status: ConditionStatus, observedGeneration: Int64? = nil, lastTransitionTime: String, reason: String, message: String) {
        self.type = type
        self.status = status
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
        self.reason = reason
        self.message = message
    }
}

/// The three values a condition's status can take.
public enum ConditionStatus: String, Codable, Sendable, Hashable {
    case `true` = "True"
    case `false` = "False"
    case unknown = "Unknown"
}
