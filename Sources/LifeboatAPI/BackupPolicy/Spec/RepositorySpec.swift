import KubernetesModels

/// Where backups are stored: exactly one of `s3` or `volume`.
public struct RepositorySpec: Codable, Sendable, Hashable {
    /// An S3-compatible bucket.
    public var s3: S3RepositorySpec?
    /// A directory on a PersistentVolumeClaim.
    public var volume: VolumeRepositorySpec?

    /// Creates a repository spec.
    public init(s3: S3RepositorySpec? = nil, volume: VolumeRepositorySpec? = nil) {
        self.s3 = s3
        self.volume = volume
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Where backups are stored: set exactly one of s3 or volume. Deleting the BackupPolicy never deletes the backups in the repository.",
        [
            .init("s3", S3RepositorySpec.schema),
            .init("volume", VolumeRepositorySpec.schema),
        ],
        rules: [.init("has(self.s3) != has(self.volume)", message: "set exactly one repository kind: s3 or volume")]
    )
}
