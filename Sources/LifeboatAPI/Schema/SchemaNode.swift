import KubernetesModels

/// One node of an OpenAPI v3 structural schema, as a CustomResourceDefinition carries it.
///
/// Each API type declares its schema next to itself (`static let schema`), so the field names, descriptions
/// (what `kubectl explain` shows), enums, defaults and CEL rules have one source of truth. The CRD generator turns
/// the tree into YAML; a test checks that every Codable key of a fully populated sample appears in the schema and
/// that every schema property is a Codable key.
public struct SchemaNode: Sendable, Hashable {
    /// The OpenAPI type of a node.
    public enum Kind: String, Sendable, Hashable {
        /// `type: object`.
        case object
        /// `type: array`.
        case array
        /// `type: string`.
        case string
        /// `type: integer`.
        case integer
        /// `type: number`.
        case number
        /// `type: boolean`.
        case boolean
        /// `x-kubernetes-int-or-string: true` (no `type`), e.g. resource quantities.
        case intOrString
        /// A free-form JSON object kept as written (`type: object` with `x-kubernetes-preserve-unknown-fields: true`).
        case any
    }

    /// One named property of an object node, in declaration order.
    public struct Property: Sendable, Hashable {
        /// The JSON key.
        public var name: String
        /// The property's schema.
        public var node: SchemaNode
        /// Whether the key must be present.
        public var required: Bool

        /// Creates a property.
        public init(_ name: String, _ node: SchemaNode, required: Bool = false) {
            self.name = name
            self.node = node
            self.required = required
        }
    }

    /// A CEL rule (`x-kubernetes-validations`) evaluated by the API server on writes.
    public struct Rule: Sendable, Hashable {
        /// The CEL expression; `self` is the value of the node carrying the rule.
        public var rule: String
        /// The message the server returns when the rule is false.
        public var message: String

        /// Creates a rule.
        public init(_ rule: String, message: String) {
            self.rule = rule
            self.message = message
        }
    }

    /// The node's type.
    public var kind: Kind
    /// What the field means, for `kubectl explain`.
    public var description: String
    /// OpenAPI `format`, e.g. `date-time` or `int64`.
    public var format: String?
    /// Object properties in the order they are written.
    public var properties: [Property]
    // Array items and map values (`additionalProperties`) are kept in one-element arrays: a struct cannot contain
    // itself directly, and an array gives the needed indirection.
    var itemsStorage: [SchemaNode]
    var additionalPropertiesStorage: [SchemaNode]
    /// Allowed string values.
    public var enumValues: [String]
    /// The value the server writes when the field is absent.
    public var defaultValue: JSONValue?
    /// Inclusive lower bound for numbers.
    public var minimum: Int64?
    /// Inclusive upper bound for numbers.
    public var maximum: Int64?
    /// Regular expression a string must match.
    public var pattern: String?
    /// Shortest string length.
    public var minLength: Int?
    /// Longest string length.
    public var maxLength: Int?
    /// Most items in an array.
    public var maxItems: Int?
    /// `x-kubernetes-list-type` of an array (`atomic`, `set`, `map`).
    public var listType: String?
    /// `x-kubernetes-list-map-keys` of a `map` list.
    public var listMapKeys: [String]
    /// CEL rules on this node.
    public var rules: [Rule]

    /// Creates a node; most callers use the static constructors (`.string(…)`, `.object(…)`).
    public init(kind: Kind, description: String) {
        self.kind = kind
        self.description = description
        self.properties = []
        self.itemsStorage = []
        self.additionalPropertiesStorage = []
        self.enumValues = []
        self.listMapKeys = []
        self.rules = []
    }

    /// The schema of the array's items.
    public var items: SchemaNode? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    /// The schema of a map's values (`additionalProperties`).
    public var additionalProperties: SchemaNode? {
        get { additionalPropertiesStorage.first }
        set { additionalPropertiesStorage = newValue.map { [$0] } ?? [] }
    }

    /// The property named `name`, if any.
    public subscript(property name: String) -> SchemaNode? {
        properties.first { $0.name == name }?.node
    }
}
