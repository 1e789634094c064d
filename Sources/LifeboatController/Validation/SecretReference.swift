import LifeboatAPI

/// One Secret key a policy uses, with the spec field that names it.
public struct SecretReference: Sendable, Hashable {
    /// The spec field holding the Secret name, e.g. `spec.server.credentials`.
    public var field: String
    /// Secret name.
    public var name: String
    /// Key inside the Secret.
    public var key: String
    /// The field naming the key, e.g. `spec.server.credentials.passwordKey`.
    public var keyField: String

    /// Creates a reference.
    public init(field: String, name: String, key: String, keyField: String) {
        self.field = field
        self.name = name
        self.key = key
        self.keyField = keyField
    }
}

extension BackupPolicySpec {
    /// Every Secret key the spec references, in field order (the reconciler watches these Secrets).
    public var secretReferences: [SecretReference] {
        var references: [SecretReference] = []
        let credentials = server.credentials
        references.append(.init(field: "spec.server.credentials", name: credentials.name, key: credentials.effectivePasswordKey, keyField: "spec.server.credentials.passwordKey"))
        if let usernameKey = credentials.usernameKey {
            references.append(.init(field: "spec.server.credentials", name: credentials.name, key: usernameKey, keyField: "spec.server.credentials.usernameKey"))
        }
        if let ca = server.tls?.caSecret {
            references.append(.init(field: "spec.server.tls.caSecret", name: ca.name, key: ca.key, keyField: "spec.server.tls.caSecret.key"))
        }
        if let client = server.tls?.clientCertSecret {
            references.append(.init(field: "spec.server.tls.clientCertSecret", name: client.name, key: client.effectiveCertKey, keyField: "spec.server.tls.clientCertSecret.certKey"))
            references.append(.init(field: "spec.server.tls.clientCertSecret", name: client.name, key: client.effectiveKeyKey, keyField: "spec.server.tls.clientCertSecret.keyKey"))
        }
        if let s3 = repository.s3 {
            let secret = s3.credentialsSecret
            references.append(.init(field: "spec.repository.s3.credentialsSecret", name: secret.name, key: secret.effectiveAccessKeyIdKey, keyField: "spec.repository.s3.credentialsSecret.accessKeyIdKey"))
            references.append(.init(field: "spec.repository.s3.credentialsSecret", name: secret.name, key: secret.effectiveSecretAccessKeyKey, keyField: "spec.repository.s3.credentialsSecret.secretAccessKeyKey"))
        }
        if let key = encryption?.keySecret {
            references.append(.init(field: "spec.encryption.keySecret", name: key.name, key: key.key, keyField: "spec.encryption.keySecret.key"))
        }
        return references
    }

    /// Every PersistentVolumeClaim the spec references, with its field.
    public var claimReferences: [(field: String, name: String)] {
        var claims: [(field: String, name: String)] = []
        if let volume = repository.volume, repository.s3 == nil {
            claims.append(("spec.repository.volume.claimName", volume.claimName))
        }
        if wal?.effectiveMode == .stream, let spool = wal?.spoolClaimName {
            claims.append(("spec.wal.spoolClaimName", spool))
        }
        return claims
    }
}

extension PolicyValidator {
    static func validateReferences(_ spec: BackupPolicySpec, namespace: String, lookups: any PolicyLookups) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        var reportedMissing = Set<String>()
        for reference in spec.secretReferences {
            switch lookups.secret(namespace: namespace, name: reference.name) {
            case .notFound:
                guard reportedMissing.insert(reference.name).inserted else { continue }
                problems.append(.init(
                    field: "\(reference.field).name", reason: .secretNotFound,
                    message: "Secret \"\(reference.name)\" not found in namespace \"\(namespace)\"; create it or fix \(reference.field).name"
                ))
            case .found(let keys) where !keys.contains(reference.key):
                let available = keys.isEmpty ? "it has no keys" : "it has \(keys.sorted().joined(separator: ", "))"
                problems.append(.init(
                    field: reference.keyField, reason: .secretKeyMissing,
                    message: "Secret \"\(reference.name)\" has no key \"\(reference.key)\" (\(available)); add the key or fix \(reference.keyField)"
                ))
            case .found:
                break
            }
        }
        for claim in spec.claimReferences where !lookups.persistentVolumeClaimExists(namespace: namespace, name: claim.name) {
            problems.append(.init(
                field: claim.field, reason: .pvcNotFound,
                message: "PersistentVolumeClaim \"\(claim.name)\" not found in namespace \"\(namespace)\"; create it or fix \(claim.field)"
            ))
        }
        return problems
    }
}
