import LifeboatAPI

/// One thing wrong with a BackupPolicy's spec or its references, naming the field and what to do.
public struct ValidationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The JSON path of the field, e.g. `spec.schedules.logical.schedule`.
    public var field: String
    /// The condition reason it leads to.
    public var reason: ConditionReason
    /// What is wrong and what to do; never contains secret values.
    public var message: String

    /// Creates a problem.
    public init(field: String, reason: ConditionReason, message: String) {
        self.field = field
        self.reason = reason
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}
