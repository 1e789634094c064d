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
