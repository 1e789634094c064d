/// One condition `/readyz` requires, e.g. "the BackupPolicy cache has synced".
public struct ReadinessCheck: Sendable {
    /// Shown in the `/readyz` body.
    public var name: String
    /// Answers whether the condition holds now.
    public var isReady: @Sendable () async -> Bool

    /// Creates a check.
    public init(name: String, isReady: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.isReady = isReady
    }

    /// Ready once `informer` has applied its first list.
    public static func synced<R>(_ informer: Informer<R>, name: String? = nil) -> ReadinessCheck {
        ReadinessCheck(name: name ?? "informer \(R.descriptor.plural)") { await informer.hasSynced }
    }
}
