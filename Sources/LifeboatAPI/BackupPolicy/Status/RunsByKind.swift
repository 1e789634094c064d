import KubernetesModels

/// One run record per backup kind.
public struct RunsByKind: Codable, Sendable, Hashable {
    /// Logical backup run.
    public var logical: RunRecord?
    /// Base backup run.
    public var base: RunRecord?

    /// Creates the pair.
    public init(logical: RunRecord? = nil, base: RunRecord? = nil) {
        self.logical = logical
        self.base = base
    }

    /// The record of `kind`.
    public subscript(kind: BackupKind) -> RunRecord? {
        get { kind == .logical ? logical : base }
        set { if kind == .logical { logical = newValue } else { base = newValue } }
    }

    /// The schema of this type.
    public static func schema(_ description: String) -> SchemaNode {
        .object(description, [
            .init("logical", RunRecord.schema("Logical backup run.")),
            .init("base", RunRecord.schema("Base backup run.")),
        ])
    }
}
