import KubernetesModels

/// A Kubernetes resource quantity (`500m`, `1Gi`, `2`), accepted as a string or a number and written as a string.
public struct ResourceQuantity: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The quantity as Kubernetes writes it.
    public var description: String

    /// Creates a quantity from its text.
    public init(_ text: String) {
        self.description = text
    }

    /// Creates a quantity from a literal.
    public init(stringLiteral value: String) {
        self.description = value
    }

    /// Decodes a string or a number (YAML `cpu: 1` arrives as a number).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            description = text
        } else if let integer = try? container.decode(Int64.self) {
            description = String(integer)
        } else {
            description = String(try container.decode(Double.self))
        }
    }

    /// Encodes the quantity as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

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
