/// `core/v1 PodSpec`: the fields the controller sets, plus what it reads back. Unknown fields
/// the server adds (dnsPolicy, schedulerName, priority, …) are ignored when decoding.
public struct PodSpec: Codable, Sendable, Hashable {
    /// Application containers.
    public var containers: [Container]
    /// Containers run to completion before the application containers.
    public var initContainers: [Container]?
    /// `Always`, `OnFailure` or `Never` (Job pods need `Never` or `OnFailure`).
    public var restartPolicy: String?
    /// ServiceAccount the pod runs as.
    public var serviceAccountName: String?
    /// Whether to mount the ServiceAccount token.
    public var automountServiceAccountToken: Bool?
    /// Node labels the pod must match.
    public var nodeSelector: [String: String]?
    /// Taints the pod tolerates.
    public var tolerations: [Toleration]?
    /// Affinity rules, kept as raw JSON.
    public var affinity: JSONValue?
    /// Pod-level security settings.
    public var securityContext: PodSecurityContext?
    /// Volumes the containers may mount.
    public var volumes: [Volume]?
    /// Secrets for pulling images.
    public var imagePullSecrets: [NamedReference]?
    /// Seconds to wait after SIGTERM (server default 30).
    public var terminationGracePeriodSeconds: Int64?
    /// The node the pod was bound to (set by the scheduler).
    public var nodeName: String?

    /// Creates a pod spec.
    public init(
        containers: [Container],
        initContainers: [Container]? = nil,
        restartPolicy: String? = nil,
        serviceAccountName: String? = nil,
        automountServiceAccountToken: Bool? = nil,
        nodeSelector: [String: String]? = nil,
        tolerations: [Toleration]? = nil,
        affinity: JSONValue? = nil,
        securityContext: PodSecurityContext? = nil,
        volumes: [Volume]? = nil,
        imagePullSecrets: [NamedReference]? = nil,
        terminationGracePeriodSeconds: Int64? = nil
    ) {
        self.containers = containers
        self.initContainers = initContainers
        self.restartPolicy = restartPolicy
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.affinity = affinity
        self.securityContext = securityContext
        self.volumes = volumes
        self.imagePullSecrets = imagePullSecrets
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
    }
}

/// `core/v1 PodTemplateSpec`: the pod a Job or Deployment creates.
public struct PodTemplateSpec: Codable, Sendable, Hashable {
    /// Labels and annotations of the created pods.
    public var metadata: ObjectMeta?
    /// The pod spec.
    public var spec: PodSpec?

    /// Creates a template.
    public init(metadata: ObjectMeta? = nil, spec: PodSpec? = nil) {
        self.metadata = metadata
        self.spec = spec
    }
}

/// `core/v1 Toleration`.
public struct Toleration: Codable, Sendable, Hashable {
    /// Taint key; empty with `Exists` tolerates everything.
    public var key: String?
    /// `Exists` or `Equal`.
    public var `operator`: String?
    /// Taint value for `Equal`.
    public var value: String?
    /// `NoSchedule`, `PreferNoSchedule` or `NoExecute`.
    public var effect: String?
    /// For `NoExecute`: how long the pod stays bound after the taint appears.
    public var tolerationSeconds: Int64?

    /// Creates a toleration.
    public init(key: String? = nil, operator: String? = nil, value: String? = nil, effect: String? = nil, tolerationSeconds: Int64? = nil) {
        self.key = key
        self.operator = `operator`
        self.value = value
        self.effect = effect
        self.tolerationSeconds = tolerationSeconds
    }
}

/// `core/v1 Volume`: the sources Lifeboat uses. Other sources (projected, configMap, …) decode as
/// a volume with only its name, so reading a defaulted pod never fails.
public struct Volume: Codable, Sendable, Hashable {
    /// Name referenced by `VolumeMount.name`.
    public var name: String
    /// A scratch directory that lives as long as the pod.
    public var emptyDir: EmptyDirVolumeSource?
    /// Files from a Secret.
    public var secret: SecretVolumeSource?
    /// A PersistentVolumeClaim.
    public var persistentVolumeClaim: PersistentVolumeClaimVolumeSource?

    /// Creates a volume.
    public init(name: String, emptyDir: EmptyDirVolumeSource? = nil, secret: SecretVolumeSource? = nil, persistentVolumeClaim: PersistentVolumeClaimVolumeSource? = nil) {
        self.name = name
        self.emptyDir = emptyDir
        self.secret = secret
        self.persistentVolumeClaim = persistentVolumeClaim
    }
}

/// `core/v1 EmptyDirVolumeSource`.
public struct EmptyDirVolumeSource: Codable, Sendable, Hashable {
    /// `""` (node disk) or `Memory`.
    public var medium: String?
    /// Size limit as a quantity, e.g. `"10Gi"`.
    public var sizeLimit: String?

    /// Creates an emptyDir source.
    public init(medium: String? = nil, sizeLimit: String? = nil) {
        self.medium = medium
        self.sizeLimit = sizeLimit
    }
}

/// `core/v1 SecretVolumeSource`.
public struct SecretVolumeSource: Codable, Sendable, Hashable {
    /// The Secret's name.
    public var secretName: String
    /// Permission bits of the files (decimal in JSON, e.g. 256 for 0400).
    public var defaultMode: Int32?
    /// When true, a missing Secret is not an error.
    public var optional: Bool?

    /// Creates a Secret source.
    public init(secretName: String, defaultMode: Int32? = nil, optional: Bool? = nil) {
        self.secretName = secretName
        self.defaultMode = defaultMode
        self.optional = optional
    }
}

/// `core/v1 PersistentVolumeClaimVolumeSource`.
public struct PersistentVolumeClaimVolumeSource: Codable, Sendable, Hashable {
    /// The claim's name.
    public var claimName: String
    /// Mount read-only.
    public var readOnly: Bool?

    /// Creates a PVC source.
    public init(claimName: String, readOnly: Bool? = nil) {
        self.claimName = claimName
        self.readOnly = readOnly
    }
}
