/// The operation did not finish within its time limit.
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    /// What timed out.
    public var operation: String
    /// The limit.
    public var limit: Duration

    /// Creates the error.
    public init(operation: String, limit: Duration) {
        self.operation = operation
        self.limit = limit
    }

    /// A readable message.
    public var description: String { "\(operation) did not finish within \(limit)" }
}

private enum TimedOutcome<T: Sendable>: Sendable {
    case value(T)
    case timedOut
}

/// Runs `operation`, cancelling it and throwing `TimeoutError` when it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, operation name: String, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: TimedOutcome<T>.self) { group in
        group.addTask { .value(try await operation()) }
        group.addTask {
            try await Task.sleep(for: limit)
            return .timedOut
        }
        defer { group.cancelAll() }
        switch try await group.next() {
        case .value(let value): return value
        case .timedOut, nil: throw TimeoutError(operation: name, limit: limit)
        }
    }
}
