/// What a Secret lookup found.
public enum SecretLookupResult: Sendable, Hashable {
    /// No Secret with that name in the namespace.
    case notFound
    /// The Secret exists with these keys in `data` or `stringData`.
    case found(keys: Set<String>)
}

/// The cluster state the validator needs: Secrets and PersistentVolumeClaims in the policy's namespace.
///
/// The reconciler answers from its caches; the validator itself does no I/O.
public protocol PolicyLookups: Sendable {
    /// The Secret `name` in `namespace`.
    func secret(namespace: String, name: String) -> SecretLookupResult
    /// Whether the PersistentVolumeClaim `name` exists in `namespace`.
    func persistentVolumeClaimExists(namespace: String, name: String) -> Bool
}
