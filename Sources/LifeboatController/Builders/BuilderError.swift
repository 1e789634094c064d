/// Why a child could not be built from a policy.
public struct BuilderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is missing or wrong, naming the field.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
