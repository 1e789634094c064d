/// `coordination.k8s.io/v1 Lease`: the lock for leader election.
public struct Lease: KubernetesResource {
    /// `coordination.k8s.io`/`v1`/`leases`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true)
    /// `coordination.k8s.io/v1`.
    public var apiVersion: String?
    /// `Lease`.
    public var kind: String?
    /// Object metadata (no generation on Leases).
    public var metadata: ObjectMeta
    /// Holder and times.
    public var spec: LeaseSpec?

    /// Creates a Lease with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: LeaseSpec? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
    }
}

/// `coordination.k8s.io/v1 LeaseSpec`. Times are MicroTime: format them with
/// `KubernetesTime.formatMicro(_:)` (exactly six fractional digits or the server answers 400).
public struct LeaseSpec: Codable, Sendable, Hashable {
    /// Identity of the current holder.
    public var holderIdentity: String?
    /// How long a holder may go without renewing before others may take over.
    public var leaseDurationSeconds: Int32?
    /// When the current holder acquired the lease (MicroTime).
    public var acquireTime: String?
    /// When the holder last renewed (MicroTime).
    public var renewTime: String?
    /// How many times the lease changed hands.
    public var leaseTransitions: Int32?

    /// Creates a Lease spec.
    public init(holderIdentity: String? = nil, leaseDurationSeconds: Int32? = nil, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int32? = nil) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }
}
