import KubernetesModels

/// CPU and memory requests and limits of the backup containers.
public struct ResourceRequirementsSpec: Codable, Sendable, Hashable {
    /// Upper bounds, e.g. `memory: 1Gi`.
    public var limits: [String: ResourceQuantity]?
    /// Amounts reserved for scheduling, e.g. `cpu: 250m`.
    public var requests: [String: ResourceQuantity]?

    /// Creates requirements.
    public init(limits: [String: ResourceQuantity]? = nil, requests: [String: ResourceQuantity]? = nil) {
        self.limits = limits
        self.requests = requests
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "CPU and memory for the backup, check and WAL containers. Compression is CPU-bound; memory needs are small because data streams through.",
        [
            .init("limits", .map("Upper bounds, e.g. {cpu: 2, memory: 1Gi}.", of: .intOrString("A quantity such as 500m, 2 or 1Gi."))),
            .init("requests", .map("Amounts reserved when scheduling, e.g. {cpu: 250m, memory: 256Mi}.", of: .intOrString("A quantity such as 500m, 2 or 1Gi."))),
        ]
    )
}
