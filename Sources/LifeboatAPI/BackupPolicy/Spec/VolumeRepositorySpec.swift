import KubernetesModels

/// A directory on a PersistentVolumeClaim.
public struct VolumeRepositorySpec: Codable, Sendable, Hashable {
    /// Name of the PersistentVolumeClaim in the policy's namespace.
    public var claimName: String
    /// Directory inside the volume (default: its root).
    public var path: String?

    /// Creates a volume repository spec.
    public init(claimName: String, path: String? = nil) {
        self.claimName = claimName
        self.path = path
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "A directory on a PersistentVolumeClaim. Use a ReadWriteMany claim when backups and WAL streaming run at the same time on different nodes.",
        [
            .init("claimName", .string("Name of the PersistentVolumeClaim, in the same namespace as the BackupPolicy.", minLength: 1, maxLength: 253), required: true),
            .init("path", .string("Directory inside the volume, relative to its root, e.g. `lifeboat/orders`. Empty means the root.", pattern: "^[^/].*$|^$", maxLength: 512)),
        ]
    )
}
