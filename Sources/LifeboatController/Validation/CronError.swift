/// Why a cron expression was rejected.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the expression.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
