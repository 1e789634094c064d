import KubernetesModels

/// A BackupPolicy (`lifeboat.dev/v1alpha1`): one PostgreSQL server's backups, schedules and retention.
public struct BackupPolicy: HasStatus {
    /// API group.
    public static let group = "lifeboat.dev"
    /// API version.
    public static let version = "v1alpha1"
    /// The resource's place in the API.
    public static let descriptor = ResourceDescriptor(group: group, version: version, kind: "BackupPolicy", plural: "backuppolicies", namespaced: true)
    /// Lower-case singular name.
    public static let singular = "backuppolicy"
    /// `kubectl get bp`.
    public static let shortNames = ["bp"]
    /// `kubectl get lifeboat`.
    public static let categories = ["lifeboat"]
    /// The annotation that starts a backup on demand; its value is a token handled once.
    public static let backupNowAnnotation = "lifeboat.dev/backup-now"

    /// `lifeboat.dev/v1alpha1`.
    public var apiVersion: String?
    /// `BackupPolicy`.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// What to back up; absent only in partial objects.
    public var spec: BackupPolicySpec?
    /// What the controller observed.
    public var status: BackupPolicyStatus?

    /// Creates a policy.
    public init(metadata: ObjectMeta, spec: BackupPolicySpec?, status: BackupPolicyStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    /// The description of the resource's root schema node.
    public static let rootDescription =
        "BackupPolicy makes PostgreSQL backups declarative: one server, its repository, schedules for logical and base backups, WAL shipping and retention. The controller turns it into CronJobs running the lifeboat worker and reports results in status."

    /// The root of the CRD's `openAPIV3Schema`.
    public static let schema = SchemaNode.object(rootDescription, [
        .init("apiVersion", .string("Versioned schema of this object: lifeboat.dev/v1alpha1.")),
        .init("kind", .string("BackupPolicy.")),
        .init("metadata", SchemaNode(kind: .object, description: "Standard object metadata.")),
        .init("spec", BackupPolicySpec.schema, required: true),
        .init("status", BackupPolicyStatus.schema),
    ])
}
