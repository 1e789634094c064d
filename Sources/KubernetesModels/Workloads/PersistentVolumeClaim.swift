/// `core/v1 PersistentVolumeClaim` (the fields Lifeboat checks: does it exist, is it bound).
public struct PersistentVolumeClaim: KubernetesResource, HasStatus {
    /// core `v1`/`persistentvolumeclaims`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true)
    /// `v1`.
    public var apiVersion: String?
    /// `PersistentVolumeClaim`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Requested storage.
    public var spec: PersistentVolumeClaimSpec?
    /// Binding state.
    public var status: PersistentVolumeClaimStatus?

    /// Creates a claim with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: PersistentVolumeClaimSpec? = nil, status: PersistentVolumeClaimStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1 PersistentVolumeClaimSpec` (minimal).
public struct PersistentVolumeClaimSpec: Codable, Sendable, Hashable {
    /// E.g. `["ReadWriteOnce"]`.
    public var accessModes: [String]?
    /// Storage class name.
    public var storageClassName: String?
    /// Requested size, e.g. `requests: ["storage": "10Gi"]`.
    public var resources: ResourceRequirements?
    /// The bound PersistentVolume.
    public var volumeName: String?

    /// Creates a claim spec.
    public init(accessModes: [String]? = nil, storageClassName: String? = nil, resources: ResourceRequirements? = nil, volumeName: String? = nil) {
        self.accessModes = accessModes
        self.storageClassName = storageClassName
        self.resources = resources
        self.volumeName = volumeName
    }
}

/// `core/v1 PersistentVolumeClaimStatus`.
public struct PersistentVolumeClaimStatus: Codable, Sendable, Hashable {
    /// `Pending`, `Bound` or `Lost`.
    public var phase: String?

    /// Creates a claim status.
    public init(phase: String? = nil) {
        self.phase = phase
    }
}
