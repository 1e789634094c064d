/// Whether the policy's children (CronJobs, Deployment) are in place, as the reconciler found after applying them.
public enum ChildrenState: Sendable, Hashable {
    /// Every child exists as desired.
    case ready
    /// Children are being created or updated; the message says which.
    case pending(String)
    /// Creating or updating a child failed; the message says which and why.
    case failed(String)
    /// No children were applied (the spec is invalid).
    case notApplied
}
