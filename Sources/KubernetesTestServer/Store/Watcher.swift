/// An open watch: its filters and where its lines go.
final class Watcher {
    let id: Int
    let def: ResourceDefinition
    let namespace: String?
    let labels: LabelSelector
    let fields: FieldSelector
    let send: @Sendable ([UInt8]) -> Void
    /// Only events newer than this are sent (a watch from a future resourceVersion waits for it, 11a).
    var minRV = 0

    init(id: Int, def: ResourceDefinition, namespace: String?, labels: LabelSelector, fields: FieldSelector,
         send: @escaping @Sendable ([UInt8]) -> Void) {
        self.id = id
        self.def = def
        self.namespace = namespace
        self.labels = labels
        self.fields = fields
        self.send = send
    }

    func matches(_ obj: JSONValue) -> Bool {
        if let namespace, obj[path: "metadata", "namespace"]?.stringValue != namespace { return false }
        return labels.matches(obj[path: "metadata", "labels"]?.objectValue ?? [:]) && fields.matches(obj)
    }
}
