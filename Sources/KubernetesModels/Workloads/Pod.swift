/// `core/v1 Pod`.
public struct Pod: KubernetesResource, HasStatus {
    /// core `v1`/`pods`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true)
    /// `v1`.
    public var apiVersion: String?
    /// `Pod`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Desired containers and settings.
    public var spec: PodSpec?
    /// Observed state, written by the kubelet.
    public var status: PodStatus?

    /// Creates a Pod with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, spec: PodSpec? = nil, status: PodStatus? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// `core/v1 PodStatus`.
public struct PodStatus: Codable, Sendable, Hashable {
    /// `Pending`, `Running`, `Succeeded`, `Failed` or `Unknown`.
    public var phase: String?
    /// Pod conditions (Ready, PodScheduled, …).
    public var conditions: [PodCondition]?
    /// Short reason for the phase, e.g. `Evicted`.
    public var reason: String?
    /// Human-readable detail for the phase.
    public var message: String?
    /// When the kubelet accepted the pod.
    public var startTime: String?
    /// One entry per application container.
    public var containerStatuses: [ContainerStatus]?
    /// One entry per init container.
    public var initContainerStatuses: [ContainerStatus]?

    /// Creates a status.
    public init(phase: String? = nil, conditions: [PodCondition]? = nil, reason: String? = nil, message: String? = nil, startTime: String? = nil, containerStatuses: [ContainerStatus]? = nil, initContainerStatuses: [ContainerStatus]? = nil) {
        self.phase = phase
        self.conditions = conditions
        self.reason = reason
        self.message = message
        self.startTime = startTime
        self.containerStatuses = containerStatuses
        self.initContainerStatuses = initContainerStatuses
    }
}

/// `core/v1 PodCondition` (its `lastProbeTime` is often `null`).
public struct PodCondition: Codable, Sendable, Hashable {
    /// Condition type, e.g. `Ready`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    /// CamelCase reason.
    public var reason: String?
    /// Human-readable detail.
    public var message: String?
    /// When the status last changed.
    public var lastTransitionTime: String?

    /// Creates a condition.
    public init(type: String, status: String, reason: String? = nil, message: String? = nil, lastTransitionTime: String? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
    }
}

/// `core/v1 ContainerStatus`.
public struct ContainerStatus: Codable, Sendable, Hashable {
    /// The container's name.
    public var name: String
    /// Current state.
    public var state: ContainerState?
    /// The state before the last restart.
    public var lastState: ContainerState?
    /// Whether the readiness probe passes.
    public var ready: Bool?
    /// Restarts so far.
    public var restartCount: Int32?
    /// Image in use.
    public var image: String?
    /// Runtime container ID.
    public var containerID: String?

    /// Creates a container status.
    public init(name: String, state: ContainerState? = nil, lastState: ContainerState? = nil, ready: Bool? = nil, restartCount: Int32? = nil, image: String? = nil, containerID: String? = nil) {
        self.name = name
        self.state = state
        self.lastState = lastState
        self.ready = ready
        self.restartCount = restartCount
        self.image = image
        self.containerID = containerID
    }
}

/// `core/v1 ContainerState`: at most one member is set.
public struct ContainerState: Codable, Sendable, Hashable {
    /// Not started yet.
    public var waiting: ContainerStateWaiting?
    /// Running since `startedAt`.
    public var running: ContainerStateRunning?
    /// Finished; carries the exit code and the termination message.
    public var terminated: ContainerStateTerminated?

    /// Creates a state.
    public init(waiting: ContainerStateWaiting? = nil, running: ContainerStateRunning? = nil, terminated: ContainerStateTerminated? = nil) {
        self.waiting = waiting
        self.running = running
        self.terminated = terminated
    }
}

/// `core/v1 ContainerStateWaiting`.
public struct ContainerStateWaiting: Codable, Sendable, Hashable {
    /// E.g. `ImagePullBackOff`, `CreateContainerConfigError`.
    public var reason: String?
    /// Human-readable detail.
    public var message: String?

    /// Creates a waiting state.
    public init(reason: String? = nil, message: String? = nil) {
        self.reason = reason
        self.message = message
    }
}

/// `core/v1 ContainerStateRunning`.
public struct ContainerStateRunning: Codable, Sendable, Hashable {
    /// When the container started.
    public var startedAt: String?

    /// Creates a running state.
    public init(startedAt: String? = nil) {
        self.startedAt = startedAt
    }
}

/// `core/v1 ContainerStateTerminated`: how a container ended.
public struct ContainerStateTerminated: Codable, Sendable, Hashable {
    /// The process exit code.
    public var exitCode: Int32
    /// Signal that ended it, if any.
    public var signal: Int32?
    /// `Completed`, `Error`, `OOMKilled`, …
    public var reason: String?
    /// The termination message (the contents of `terminationMessagePath`, trailing newline kept).
    public var message: String?
    /// Start time.
    public var startedAt: String?
    /// End time.
    public var finishedAt: String?
    /// Runtime container ID.
    public var containerID: String?

    /// Creates a terminated state.
    public init(exitCode: Int32, signal: Int32? = nil, reason: String? = nil, message: String? = nil, startedAt: String? = nil, finishedAt: String? = nil, containerID: String? = nil) {
        self.exitCode = exitCode
        self.signal = signal
        self.reason = reason
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.containerID = containerID
    }
}
