/// What a reconcile asks the controller to do next.
public enum ReconcileResult: Sendable, Hashable {
    /// The object is as desired; nothing to do until something changes (or the periodic resync).
    case done
    /// Reconcile the object again after `after` (e.g. to poll progress or the next schedule).
    case requeue(after: Duration)
}

/// Level-triggered reconciliation of one object: read the current state for `key` (from the
/// caches), compute the desired state, apply the difference. Running it twice in a row must
/// change nothing the second time.
///
/// A thrown error is retried with per-key exponential backoff; a `KubernetesError` conflict is
/// requeued soon without counting as an error. An error no retry can fix (an invalid spec) should
/// be recorded in the object's status and answered with `.done`, not thrown.
public protocol Reconciler: Sendable {
    /// Reconciles the object named by `key`.
    func reconcile(_ key: ObjectKey) async throws -> ReconcileResult
}
