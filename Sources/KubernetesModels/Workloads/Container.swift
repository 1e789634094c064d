/// `core/v1 Container`: one container of a pod.
public struct Container: Codable, Sendable, Hashable {
    /// DNS-label name, unique within the pod.
    public var name: String
    /// Image reference.
    public var image: String?
    /// Entrypoint (replaces the image's ENTRYPOINT).
    public var command: [String]?
    /// Arguments (replace the image's CMD). Never put credentials here: use `env` with `secretKeyRef`.
    public var args: [String]?
    /// Working directory.
    public var workingDir: String?
    /// Environment variables.
    public var env: [EnvVar]?
    /// Whole ConfigMaps or Secrets exposed as environment variables.
    public var envFrom: [EnvFromSource]?
    /// CPU and memory requests and limits.
    public var resources: ResourceRequirements?
    /// Volumes mounted into the container.
    public var volumeMounts: [VolumeMount]?
    /// Container-level security settings.
    public var securityContext: SecurityContext?
    /// Where the container writes its termination message (server default `/dev/termination-log`).
    public var terminationMessagePath: String?
    /// `File` (server default) or `FallbackToLogsOnError`.
    public var terminationMessagePolicy: String?
    /// `Always`, `IfNotPresent` or `Never` (server default depends on the image tag).
    public var imagePullPolicy: String?

    /// Creates a container.
    public init(
        name: String,
        image: String? = nil,
        command: [String]? = nil,
        args: [String]? = nil,
        env: [EnvVar]? = nil,
        envFrom: [EnvFromSource]? = nil,
        resources: ResourceRequirements? = nil,
        volumeMounts: [VolumeMount]? = nil,
        securityContext: SecurityContext? = nil,
        terminationMessagePath: String? = nil,
        terminationMessagePolicy: String? = nil,
        imagePullPolicy: String? = nil
    ) {
        self.name = name
        self.image = image
        self.command = command
        self.args = args
        self.env = env
        self.envFrom = envFrom
        self.resources = resources
        self.volumeMounts = volumeMounts
        self.securityContext = securityContext
        self.terminationMessagePath = terminationMessagePath
        self.terminationMessagePolicy = terminationMessagePolicy
        self.imagePullPolicy = imagePullPolicy
    }
}

/// `core/v1 EnvVar`: a literal value or a reference (`valueFrom`).
public struct EnvVar: Codable, Sendable, Hashable {
    /// Variable name.
    public var name: String
    /// Literal value.
    public var value: String?
    /// Where the value comes from instead of `value`.
    public var valueFrom: EnvVarSource?

    /// Creates a variable.
    public init(name: String, value: String? = nil, valueFrom: EnvVarSource? = nil) {
        self.name = name
        self.value = value
        self.valueFrom = valueFrom
    }
}

/// `core/v1 EnvVarSource`.
public struct EnvVarSource: Codable, Sendable, Hashable {
    /// A key of a Secret.
    public var secretKeyRef: SecretKeySelector?
    /// A key of a ConfigMap.
    public var configMapKeyRef: ConfigMapKeySelector?
    /// A field of the pod (downward API), e.g. `metadata.namespace`.
    public var fieldRef: ObjectFieldSelector?

    /// Creates a source.
    public init(secretKeyRef: SecretKeySelector? = nil, configMapKeyRef: ConfigMapKeySelector? = nil, fieldRef: ObjectFieldSelector? = nil) {
        self.secretKeyRef = secretKeyRef
        self.configMapKeyRef = configMapKeyRef
        self.fieldRef = fieldRef
    }
}

/// `core/v1 SecretKeySelector`: one key of a Secret in the pod's namespace.
public struct SecretKeySelector: Codable, Sendable, Hashable {
    /// Secret name.
    public var name: String
    /// Key within the Secret's data.
    public var key: String
    /// When true, a missing Secret or key does not block the pod.
    public var optional: Bool?

    /// Creates a selector.
    public init(name: String, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// `core/v1 ConfigMapKeySelector`: one key of a ConfigMap.
public struct ConfigMapKeySelector: Codable, Sendable, Hashable {
    /// ConfigMap name.
    public var name: String
    /// Key within the ConfigMap.
    public var key: String
    /// When true, a missing ConfigMap or key does not block the pod.
    public var optional: Bool?

    /// Creates a selector.
    public init(name: String, key: String, optional: Bool? = nil) {
        self.name = name
        self.key = key
        self.optional = optional
    }
}

/// `core/v1 ObjectFieldSelector` (downward API).
public struct ObjectFieldSelector: Codable, Sendable, Hashable {
    /// Field path, e.g. `metadata.name`.
    public var fieldPath: String
    /// API version the path is written in.
    public var apiVersion: String?

    /// Creates a selector.
    public init(fieldPath: String, apiVersion: String? = nil) {
        self.fieldPath = fieldPath
        self.apiVersion = apiVersion
    }
}

/// `core/v1 EnvFromSource`: every key of a Secret or ConfigMap as variables.
public struct EnvFromSource: Codable, Sendable, Hashable {
    /// Prefix added to every variable name.
    public var prefix: String?
    /// The Secret to expose.
    public var secretRef: NamedReference?
    /// The ConfigMap to expose.
    public var configMapRef: NamedReference?

    /// Creates a source.
    public init(prefix: String? = nil, secretRef: NamedReference? = nil, configMapRef: NamedReference? = nil) {
        self.prefix = prefix
        self.secretRef = secretRef
        self.configMapRef = configMapRef
    }
}

/// A reference by name in the same namespace (`SecretEnvSource`, `ConfigMapEnvSource`, `LocalObjectReference`).
public struct NamedReference: Codable, Sendable, Hashable {
    /// The referent's name.
    public var name: String
    /// When true, a missing referent is not an error.
    public var optional: Bool?

    /// Creates a reference.
    public init(name: String, optional: Bool? = nil) {
        self.name = name
        self.optional = optional
    }
}

/// `core/v1 ResourceRequirements`: quantities as the API writes them (`"500m"`, `"256Mi"`).
public struct ResourceRequirements: Codable, Sendable, Hashable {
    /// Guaranteed amounts, e.g. `["cpu": "100m", "memory": "128Mi"]`.
    public var requests: [String: String]?
    /// Upper bounds.
    public var limits: [String: String]?

    /// Creates requirements.
    public init(requests: [String: String]? = nil, limits: [String: String]? = nil) {
        self.requests = requests
        self.limits = limits
    }
}

/// `core/v1 VolumeMount`.
public struct VolumeMount: Codable, Sendable, Hashable {
    /// Name of a volume of the pod.
    public var name: String
    /// Path inside the container.
    public var mountPath: String
    /// Mount read-only.
    public var readOnly: Bool?
    /// Sub-path of the volume to mount.
    public var subPath: String?

    /// Creates a mount.
    public init(name: String, mountPath: String, readOnly: Bool? = nil, subPath: String? = nil) {
        self.name = name
        self.mountPath = mountPath
        self.readOnly = readOnly
        self.subPath = subPath
    }
}
