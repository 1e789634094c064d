/// `core/v1 SecurityContext`: container-level security settings.
public struct SecurityContext: Codable, Sendable, Hashable {
    /// Require a non-root UID.
    public var runAsNonRoot: Bool?
    /// UID to run as.
    public var runAsUser: Int64?
    /// GID to run as.
    public var runAsGroup: Int64?
    /// Mount the root filesystem read-only.
    public var readOnlyRootFilesystem: Bool?
    /// Allow gaining more privileges than the parent (setuid).
    public var allowPrivilegeEscalation: Bool?
    /// Run privileged.
    public var privileged: Bool?
    /// Linux capabilities to add or drop.
    public var capabilities: Capabilities?
    /// Seccomp profile, e.g. `RuntimeDefault`.
    public var seccompProfile: SeccompProfile?

    /// Creates a security context.
    public init(runAsNonRoot: Bool? = nil, runAsUser: Int64? = nil, runAsGroup: Int64? = nil, readOnlyRootFilesystem: Bool? = nil, allowPrivilegeEscalation: Bool? = nil, privileged: Bool? = nil, capabilities: Capabilities? = nil, seccompProfile: SeccompProfile? = nil) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.privileged = privileged
        self.capabilities = capabilities
        self.seccompProfile = seccompProfile
    }
}

/// `core/v1 PodSecurityContext`: pod-level security settings.
public struct PodSecurityContext: Codable, Sendable, Hashable {
    /// Require a non-root UID for every container.
    public var runAsNonRoot: Bool?
    /// UID for every container.
    public var runAsUser: Int64?
    /// GID for every container.
    public var runAsGroup: Int64?
    /// Group that owns mounted volumes.
    public var fsGroup: Int64?
    /// Seccomp profile for every container.
    public var seccompProfile: SeccompProfile?

    /// Creates a pod security context.
    public init(runAsNonRoot: Bool? = nil, runAsUser: Int64? = nil, runAsGroup: Int64? = nil, fsGroup: Int64? = nil, seccompProfile: SeccompProfile? = nil) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.fsGroup = fsGroup
        self.seccompProfile = seccompProfile
    }
}

/// `core/v1 Capabilities`.
public struct Capabilities: Codable, Sendable, Hashable {
    /// Capabilities to add.
    public var add: [String]?
    /// Capabilities to drop, e.g. `["ALL"]`.
    public var drop: [String]?

    /// Creates a capability set.
    public init(add: [String]? = nil, drop: [String]? = nil) {
        self.add = add
        self.drop = drop
    }
}

/// `core/v1 SeccompProfile`.
public struct SeccompProfile: Codable, Sendable, Hashable {
    /// `RuntimeDefault`, `Unconfined` or `Localhost`.
    public var type: String
    /// Profile path for `Localhost`.
    public var localhostProfile: String?

    /// Creates a profile.
    public init(type: String, localhostProfile: String? = nil) {
        self.type = type
        self.localhostProfile = localhostProfile
    }
}
