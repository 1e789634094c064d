import LifeboatAPI

/// What a child workload of a BackupPolicy does; the value of its `lifeboat.dev/kind` label.
public enum WorkloadKind: String, Sendable, Hashable, CaseIterable {
    /// Scheduled or on-demand logical backups.
    case logical
    /// Scheduled or on-demand base backups.
    case base
    /// The periodic `lifeboat check`.
    case check
    /// The WAL streaming Deployment.
    case walStream = "wal-stream"

    /// The workload kind of a backup kind.
    public init(_ kind: BackupKind) {
        self = kind == .logical ? .logical : .base
    }

    /// The backup kind, when this is a backup workload.
    public var backupKind: BackupKind? {
        switch self {
        case .logical: .logical
        case .base: .base
        case .check, .walStream: nil
        }
    }
}

/// The labels and annotations every child carries, so the controller can watch Jobs and Pods by label.
public enum WorkloadLabels {
    /// `app.kubernetes.io/managed-by`.
    public static let managedBy = "app.kubernetes.io/managed-by"
    /// The value of `managedBy`.
    public static let managedByValue = "lifeboat"
    /// `lifeboat.dev/policy`: the policy's name (shortened with a hash when longer than a label value may be).
    public static let policy = "lifeboat.dev/policy"
    /// `lifeboat.dev/kind`: a `WorkloadKind`.
    public static let kind = "lifeboat.dev/kind"
    /// `lifeboat.dev/trigger`: `schedule` or `backup-now`.
    public static let trigger = "lifeboat.dev/trigger"
    /// Annotation with the policy's full name (label values are limited to 63 characters).
    public static let policyNameAnnotation = "lifeboat.dev/policy-name"
    /// Annotation on an on-demand Job with the backup-now token it runs.
    public static let backupNowTokenAnnotation = "lifeboat.dev/backup-now-token"

    /// The labels of a child of policy `name` doing `kind`.
    public static func labels(policyName name: String, kind: WorkloadKind, trigger: String = "schedule") -> [String: String] {
        [
            managedBy: managedByValue,
            policy: policyLabelValue(name),
            WorkloadLabels.kind: kind.rawValue,
            WorkloadLabels.trigger: trigger,
        ]
    }

    /// The selector of every child of policy `name` (for Jobs and Pods too, through the jobTemplate labels).
    public static func selector(policyName name: String) -> [String: String] {
        [managedBy: managedByValue, policy: policyLabelValue(name)]
    }

    /// `name` as a label value: unchanged up to 63 characters, otherwise shortened with a stable hash suffix.
    public static func policyLabelValue(_ name: String) -> String {
        ChildNames.shorten(name, limit: 63)
    }
}
