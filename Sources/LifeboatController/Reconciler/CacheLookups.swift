import ControllerRuntime
import KubernetesModels

extension SnapshotLookups {
    /// A snapshot of the Secrets' key names and the claims of `namespace`, taken from the caches for one validation.
    /// Only key names are kept: Secret values never leave the cache.
    public static func snapshot(namespace: String, caches: BackupPolicyCaches) async -> SnapshotLookups {
        var secrets: [String: Set<String>] = [:]
        for secret in await caches.secrets.list(namespace: namespace) {
            guard let name = secret.metadata.name else { continue }
            secrets["\(namespace)/\(name)"] = secret.keys
        }
        let claims = await caches.claims.list(namespace: namespace).compactMap { $0.metadata.name.map { "\(namespace)/\($0)" } }
        return SnapshotLookups(secrets: secrets, claims: Set(claims))
    }
}
