import ControllerRuntime

/// The resourceVersion at which each child was last found (or written) in its desired form by this process.
///
/// CronJobs are cached as metadata only, so comparing one with its desired form needs a GET; this record skips that
/// GET while the cached resourceVersion is still one the reconciler verified. Any change to the child, by anyone,
/// gives it a new resourceVersion and so one fresh comparison. Empty after a restart: each child is then read once.
actor VerifiedChildren {
    private var versions: [ObjectKey: String] = [:]

    /// Whether `key` was verified at exactly `resourceVersion`.
    func isVerified(_ key: ObjectKey, resourceVersion: String?) -> Bool {
        guard let resourceVersion, !resourceVersion.isEmpty else { return false }
        return versions[key] == resourceVersion
    }

    /// Records that `key` is in its desired form at `resourceVersion`.
    func record(_ key: ObjectKey, resourceVersion: String?) {
        versions[key] = (resourceVersion?.isEmpty ?? true) ? nil : resourceVersion
    }

    /// Forgets `key` (the child was deleted).
    func forget(_ key: ObjectKey) {
        versions[key] = nil
    }

    /// How many children are recorded (for tests).
    var count: Int { versions.count }
}
