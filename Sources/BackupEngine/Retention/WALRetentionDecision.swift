/// The fate of one archived WAL file, with the reason.
public struct WALRetentionDecision: Sendable, Hashable {
    /// The file.
    public var name: WALFileName
    /// Kept or deleted.
    public var keep: Bool
    /// Why, in words.
    public var reason: String
}
