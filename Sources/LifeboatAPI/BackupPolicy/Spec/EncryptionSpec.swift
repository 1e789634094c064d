import KubernetesModels

/// Client-side encryption of everything written to the repository.
public struct EncryptionSpec: Codable, Sendable, Hashable {
    /// The Secret key holding the master key.
    public var keySecret: SecretKeyReference

    /// Creates an encryption spec.
    public init(keySecret: SecretKeyReference) {
        self.keySecret = keySecret
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Client-side encryption (AES-256-GCM with a fresh data key per object). Without this section backups are stored unencrypted. Losing the key makes the backups unreadable: keep a copy outside the cluster.",
        [.init("keySecret", SecretKeyReference.schema("Secret key holding the master key; passed to the backup pod only as LIFEBOAT_ENCRYPTION_KEY (secretKeyRef)."), required: true)]
    )
}
