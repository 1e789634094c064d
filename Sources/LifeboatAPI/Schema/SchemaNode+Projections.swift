import KubernetesModels

extension SchemaNode {
    /// The schema's defaults as a tree of objects: each defaulted field holds its default value, each object holds
    /// the defaults below it; nil when nothing below has a default. An API server (or the test API server) fills a
    /// missing field from this tree only inside objects that exist, as Kubernetes does.
    public var defaultsTree: JSONValue? {
        if let value = defaultValue { return value }
        guard kind == .object, !properties.isEmpty else { return nil }
        var members: [String: JSONValue] = [:]
        for property in properties {
            if let tree = property.node.defaultsTree { members[property.name] = tree }
        }
        return members.isEmpty ? nil : .object(members)
    }

    /// The fields the schema knows, for pruning unknown ones: an object of allowed keys for objects with
    /// properties, `true` where anything below is kept (leaves, maps, free-form objects, metadata); arrays are
    /// described by their items' tree.
    public var knownFieldsTree: JSONValue {
        switch kind {
        case .object where !properties.isEmpty:
            return .object(Dictionary(uniqueKeysWithValues: properties.map { ($0.name, $0.node.knownFieldsTree) }))
        case .array:
            return items?.knownFieldsTree ?? .bool(true)
        default:
            return .bool(true)
        }
    }
}
