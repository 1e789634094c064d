/// `apps/v1 Deployment`: keeps replicas of a pod running (Lifeboat's WAL streamer).
public struct Deployment: KubernetesResource, HasStatus {
    /// `apps`/`v1`/`deployments`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true)
    /// `apps/v1`.
    public var apiVersion: String?
    /// `Deployment`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Desired state.
    public var spec: DeploymentSpec?
    /// Observed state.
    public var status: DeploymentStatus?

    /// Creates a Deployment with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: DeploymentSpec? = nil, status: DeploymentStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `apps/v1 DeploymentSpec`.
public struct DeploymentSpec: Codable, Sendable, Hashable {
    /// Desired pods (server default 1).
    public var replicas: Int32?
    /// Which pods belong to the Deployment; must match the template's labels.
    public var selector: LabelSelector
    /// The pod to run.
    public var template: PodTemplateSpec
    /// How pods are replaced.
    public var strategy: DeploymentStrategy?

    /// Creates a Deployment spec.
    public init(replicas: Int32? = nil, selector: LabelSelector, template: PodTemplateSpec, strategy: DeploymentStrategy? = nil) {
        self.replicas = replicas
        self.selector = selector
        self.template = template
        self.strategy = strategy
    }
}

/// `apps/v1 DeploymentStrategy`.
public struct DeploymentStrategy: Codable, Sendable, Hashable {
    /// `Recreate` (one streamer at a time) or `RollingUpdate`.
    public var type: String?
    /// Rolling update parameters, kept as raw JSON (`maxSurge`/`maxUnavailable` are int-or-string).
    public var rollingUpdate: JSONValue?

    /// Creates a strategy.
    public init(type: String? = nil, rollingUpdate: JSONValue? = nil) {
        self.type = type
        self.rollingUpdate = rollingUpdate
    }
}

/// `apps/v1 DeploymentStatus`.
public struct DeploymentStatus: Codable, Sendable, Hashable {
    /// The generation the controller acted on.
    public var observedGeneration: Int64?
    /// Pods targeted.
    public var replicas: Int32?
    /// Pods ready.
    public var readyReplicas: Int32?
    /// Pods available (ready for minReadySeconds).
    public var availableReplicas: Int32?
    /// Pods on the current template.
    public var updatedReplicas: Int32?
    /// `Available`, `Progressing`, `ReplicaFailure`.
    public var conditions: [DeploymentCondition]?

    /// Creates a status.
    public init(observedGeneration: Int64? = nil, replicas: Int32? = nil, readyReplicas: Int32? = nil, availableReplicas: Int32? = nil, updatedReplicas: Int32? = nil, conditions: [DeploymentCondition]? = nil) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.availableReplicas = availableReplicas
        self.updatedReplicas = updatedReplicas
        self.conditions = conditions
    }
}

/// `apps/v1 DeploymentCondition`.
public struct DeploymentCondition: Codable, Sendable, Hashable {
    /// Condition type.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    /// CamelCase reason.
    public var reason: String?
    /// Human-readable detail.
    public var message: String?
    /// Last update.
    public var lastUpdateTime: String?
    /// When the status last changed.
    public var lastTransitionTime: String?

    /// Creates a condition.
    public init(type: String, status: String, reason: String? = nil, message: String? = nil, lastUpdateTime: String? = nil, lastTransitionTime: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastUpdateTime = lastUpdateTime
        self.lastTransitionTime = lastTransitionTime
    }
}
