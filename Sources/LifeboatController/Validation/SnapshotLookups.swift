/// Lookups answered from a fixed snapshot, e.g. taken from the caches before validating.
public struct SnapshotLookups: PolicyLookups, Hashable {
    /// Secret keys by `namespace/name`.
    public var secrets: [String: Set<String>]
    /// `namespace/name` of existing claims.
    public var claims: Set<String>

    /// Creates a snapshot; keys are `namespace/name`.
    public init(secrets: [String: Set<String>] = [:], claims: Set<String> = []) {
        self.secrets = secrets
        self.claims = claims
    }

    /// The Secret `name` in `namespace`.
    public func secret(namespace: String, name: String) -> SecretLookupResult {
        secrets["\(namespace)/\(name)"].map { .found(keys: $0) } ?? .notFound
    }

    /// Whether the claim exists.
    public func persistentVolumeClaimExists(namespace: String, name: String) -> Bool {
        claims.contains("\(namespace)/\(name)")
    }
}
