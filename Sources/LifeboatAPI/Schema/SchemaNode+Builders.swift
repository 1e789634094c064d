import KubernetesModels

/// Declarative constructors used by each type's `static let schema`.
extension SchemaNode {
    /// An object with the given properties.
    public static func object(_ description: String, _ properties: [Property], rules: [Rule] = []) -> SchemaNode {
        var node = SchemaNode(kind: .object, description: description)
        node.properties = properties
        node.rules = rules
        return node
    }

    /// A string, optionally restricted to `enum` values, with a default.
    public static func string(
        _ description: String, enum values: [String] = [], default value: String? = nil, format: String? = nil,
        pattern: String? = nil, minLength: Int? = nil, maxLength: Int? = nil, rules: [Rule] = []
    ) -> SchemaNode {
        var node = SchemaNode(kind: .string, description: description)
        node.enumValues = values
        node.defaultValue = value.map(JSONValue.string)
        node.format = format
        node.pattern = pattern
        node.minLength = minLength
        node.maxLength = maxLength
        node.rules = rules
        return node
    }

    /// An RFC 3339 timestamp.
    public static func dateTime(_ description: String) -> SchemaNode {
        .string(description, format: "date-time")
    }

    /// An integer (`int64` when `format` says so).
    public static func integer(
        _ description: String, format: String? = nil, minimum: Int64? = nil, maximum: Int64? = nil, default value: Int64? = nil
    ) -> SchemaNode {
        var node = SchemaNode(kind: .integer, description: description)
        node.format = format
        node.minimum = minimum
        node.maximum = maximum
        node.defaultValue = value.map { .number(Double($0)) }
        return node
    }

    /// A floating-point number.
    public static func number(_ description: String, format: String? = "double", minimum: Int64? = nil) -> SchemaNode {
        var node = SchemaNode(kind: .number, description: description)
        node.format = format
        node.minimum = minimum
        return node
    }

    /// A boolean with an optional default.
    public static func boolean(_ description: String, default value: Bool? = nil) -> SchemaNode {
        var node = SchemaNode(kind: .boolean, description: description)
        node.defaultValue = value.map(JSONValue.bool)
        return node
    }

    /// An array of `items`.
    public static func array(
        _ description: String, of items: SchemaNode, maxItems: Int? = nil, listType: String? = nil, listMapKeys: [String] = []
    ) -> SchemaNode {
        var node = SchemaNode(kind: .array, description: description)
        node.items = items
        node.maxItems = maxItems
        node.listType = listType
        node.listMapKeys = listMapKeys
        return node
    }

    /// A map from string keys to `values` (`additionalProperties`).
    public static func map(_ description: String, of values: SchemaNode) -> SchemaNode {
        var node = SchemaNode(kind: .object, description: description)
        node.additionalProperties = values
        return node
    }

    /// A value that is an integer or a string (`x-kubernetes-int-or-string`), e.g. a quantity like `500m` or `1`.
    public static func intOrString(_ description: String) -> SchemaNode {
        SchemaNode(kind: .intOrString, description: description)
    }

    /// A free-form JSON object, kept as written (`x-kubernetes-preserve-unknown-fields`).
    public static func any(_ description: String) -> SchemaNode {
        SchemaNode(kind: .any, description: description)
    }

    /// The same node with its description replaced (to reuse a type's schema in a place with its own meaning).
    public func describing(_ description: String) -> SchemaNode {
        var copy = self
        copy.description = description
        return copy
    }

    /// The same node with extra CEL rules.
    public func adding(rules extra: [Rule]) -> SchemaNode {
        var copy = self
        copy.rules += extra
        return copy
    }

    /// The same node with a default value.
    public func withDefault(_ value: JSONValue) -> SchemaNode {
        var copy = self
        copy.defaultValue = value
        return copy
    }
}
