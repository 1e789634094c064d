import LifeboatAPI

/// Deterministic names of a policy's children.
///
/// CronJob names are kept to 52 characters: the CronJob controller appends `-<11 digits>` to make Job names, and Job
/// names (a label value on their Pods) must stay within 63. Longer policy names are cut and given a stable hash suffix,
/// so two long names with the same prefix still get different children.
public enum ChildNames {
    /// The longest CronJob name (63 − 11 digits of the Job suffix).
    public static let cronJobNameLimit = 52
    /// The longest name of a Job or Deployment the controller creates itself.
    public static let workloadNameLimit = 52

    /// The CronJob of `kind` for policy `policyName`, e.g. `orders-logical`.
    public static func cronJob(policyName: String, kind: WorkloadKind) -> String {
        shorten("\(policyName)-\(kind.rawValue)", limit: cronJobNameLimit)
    }

    /// The WAL streaming Deployment of policy `policyName`, e.g. `orders-wal-stream`.
    public static func walStreamDeployment(policyName: String) -> String {
        shorten("\(policyName)-\(WorkloadKind.walStream.rawValue)", limit: workloadNameLimit)
    }

    /// The on-demand Job for `token`: the same token always gives the same name, so a re-applied annotation or a
    /// controller restart finds the existing Job instead of starting a second backup.
    public static func onDemandJob(policyName: String, kind: BackupKind, token: String) -> String {
        let suffix = "-now-\(StableHash.hex("\(kind.rawValue)/\(token)", length: 10))"
        let prefixLimit = workloadNameLimit - suffix.count
        return trimmed(String("\(policyName)-\(kind.rawValue)".prefix(prefixLimit))) + suffix
    }

    /// `name` unchanged when it fits in `limit`, otherwise cut, with `-` and 8 hex digits of its hash appended.
    public static func shorten(_ name: String, limit: Int) -> String {
        if name.count <= limit { return name }
        let suffix = "-" + StableHash.hex(name, length: 8)
        return trimmed(String(name.prefix(limit - suffix.count))) + suffix
    }

    /// Drops trailing `-` and `.`, which a DNS name may not end with.
    static func trimmed(_ name: String) -> String {
        var result = Substring(name)
        while let last = result.last, last == "-" || last == "." { result = result.dropLast() }
        return String(result)
    }
}
