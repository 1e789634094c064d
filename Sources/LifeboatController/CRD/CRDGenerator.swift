import Foundation
import KubernetesModels
import LifeboatAPI
import Yams

/// Generates the CustomResourceDefinition YAML from the Swift API types (`static let schema` next to each type).
///
/// `swift run lifeboat-controller crds --output CRDs` writes the files; a test fails when the committed files drift.
public enum CRDGenerator {
    /// File name of the BackupPolicy CRD inside `CRDs/`.
    public static let backupPolicyFileName = "lifeboat.dev_backuppolicies.yaml"

    /// The first lines of every generated file.
    static let header = """
        # Generated from the Swift types in Sources/LifeboatAPI by CRDGenerator. Do not edit by hand:
        # run `swift run lifeboat-controller crds --output CRDs` (or the CRD drift test with LIFEBOAT_UPDATE_CRDS=1).

        """

    /// Every generated CRD: file name and YAML text.
    public static func files() -> [(name: String, contents: String)] {
        [(backupPolicyFileName, backupPolicyCRD())]
    }

    /// Writes every CRD into `directory` (created if needed) and returns the paths written.
    @discardableResult
    public static func write(to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try files().map { file in
            let url = directory.appendingPathComponent(file.name)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
            return url
        }
    }

    /// The BackupPolicy CRD as YAML.
    public static func backupPolicyCRD() -> String {
        let descriptor = BackupPolicy.descriptor
        let columns: [Node] = [
            printerColumn("Ready", type: "string", path: #".status.conditions[?(@.type=="Ready")].status"#, description: "Whether the spec is valid and the CronJobs are in place."),
            printerColumn("Reason", type: "string", path: #".status.conditions[?(@.type=="Ready")].reason"#, description: "Why Ready has its status.", priority: 1),
            printerColumn("Last Backup", type: "date", path: ".status.lastSuccessful.logical.time", description: "When the newest successful logical backup finished."),
            printerColumn("Last Base", type: "date", path: ".status.lastSuccessful.base.time", description: "When the newest successful base backup finished.", priority: 1),
            printerColumn("Fresh", type: "string", path: #".status.conditions[?(@.type=="BackupFresh")].status"#, description: "Whether the newest good backup is younger than spec.freshness.", priority: 1),
            printerColumn("WAL", type: "string", path: #".status.conditions[?(@.type=="WALArchiving")].reason"#, description: "WAL shipping health: WALHealthy, WALStalled or WALDisabled."),
            printerColumn("Age", type: "date", path: ".metadata.creationTimestamp", description: nil),
        ]
        let version = mapping([
            ("name", string(descriptor.version)),
            ("served", .boolean(true)),
            ("storage", .boolean(true)),
            ("subresources", mapping([("status", mapping([]))])),
            ("additionalPrinterColumns", .sequence(.init(columns))),
            ("schema", mapping([("openAPIV3Schema", node(for: BackupPolicy.schema))])),
        ])
        let crd = mapping([
            ("apiVersion", string("apiextensions.k8s.io/v1")),
            ("kind", string("CustomResourceDefinition")),
            ("metadata", mapping([
                ("name", string("\(descriptor.plural).\(descriptor.group)")),
                ("labels", mapping([("app.kubernetes.io/part-of", string("lifeboat"))])),
            ])),
            ("spec", mapping([
                ("group", string(descriptor.group)),
                ("scope", string(descriptor.namespaced ? "Namespaced" : "Cluster")),
                ("names", mapping([
                    ("plural", string(descriptor.plural)),
                    ("singular", string(BackupPolicy.singular)),
                    ("kind", string(descriptor.kind)),
                    ("listKind", string("\(descriptor.kind)List")),
                    ("shortNames", .sequence(.init(BackupPolicy.shortNames.map(string)))),
                    ("categories", .sequence(.init(BackupPolicy.categories.map(string)))),
                ])),
                ("versions", .sequence(.init([version]))),
            ])),
        ])
        // Serializing a tree of plain strings, numbers and mappings cannot fail; a failure is a programming error.
        let yaml = try! Yams.serialize(node: crd, indent: 2, width: -1, allowUnicode: true)
        return header + yaml
    }

    /// The YAML node of one schema node.
    static func node(for schema: SchemaNode) -> Node {
        var pairs: [(String, Node)] = []
        switch schema.kind {
        case .intOrString:
            pairs.append(("x-kubernetes-int-or-string", .boolean(true)))
            pairs.append(("anyOf", .sequence(.init([mapping([("type", string("integer"))]), mapping([("type", string("string"))])]))))
        case .any:
            pairs.append(("type", string("object")))
            pairs.append(("x-kubernetes-preserve-unknown-fields", .boolean(true)))
        default:
            pairs.append(("type", string(schema.kind.rawValue)))
        }
        pairs.append(("description", string(schema.description)))
        if let format = schema.format { pairs.append(("format", string(format))) }
        if !schema.enumValues.isEmpty { pairs.append(("enum", .sequence(.init(schema.enumValues.map(string))))) }
        if let value = schema.defaultValue { pairs.append(("default", node(for: value))) }
        if let minimum = schema.minimum { pairs.append(("minimum", integer(minimum))) }
        if let maximum = schema.maximum { pairs.append(("maximum", integer(maximum))) }
        if let minLength = schema.minLength { pairs.append(("minLength", integer(Int64(minLength)))) }
        if let maxLength = schema.maxLength { pairs.append(("maxLength", integer(Int64(maxLength)))) }
        if let pattern = schema.pattern { pairs.append(("pattern", string(pattern))) }
        if let maxItems = schema.maxItems { pairs.append(("maxItems", integer(Int64(maxItems)))) }
        if let listType = schema.listType { pairs.append(("x-kubernetes-list-type", string(listType))) }
        if !schema.listMapKeys.isEmpty { pairs.append(("x-kubernetes-list-map-keys", .sequence(.init(schema.listMapKeys.map(string))))) }
        if let items = schema.items { pairs.append(("items", node(for: items))) }
        if let values = schema.additionalProperties { pairs.append(("additionalProperties", node(for: values))) }
        let required = schema.properties.filter(\.required).map(\.name)
        if !required.isEmpty { pairs.append(("required", .sequence(.init(required.map(string))))) }
        if !schema.properties.isEmpty {
            pairs.append(("properties", mapping(schema.properties.map { ($0.name, node(for: $0.node)) })))
        }
        if !schema.rules.isEmpty {
            let rules = schema.rules.map { mapping([("rule", string($0.rule)), ("message", string($0.message))]) }
            pairs.append(("x-kubernetes-validations", .sequence(.init(rules))))
        }
        return mapping(pairs)
    }

    static func node(for value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null")
        case .bool(let flag): return .boolean(flag)
        case .number(let number):
            return number.rounded() == number ? integer(Int64(number)) : Node(String(number))
        case .string(let text): return string(text)
        case .array(let items): return .sequence(.init(items.map(node(for:))))
        case .object(let members): return mapping(members.sorted { $0.key < $1.key }.map { ($0.key, node(for: $0.value)) })
        }
    }

    static func printerColumn(_ name: String, type: String, path: String, description: String?, priority: Int? = nil) -> Node {
        var pairs: [(String, Node)] = [("name", string(name)), ("type", string(type)), ("jsonPath", string(path))]
        if let description { pairs.append(("description", string(description))) }
        if let priority { pairs.append(("priority", integer(Int64(priority)))) }
        return mapping(pairs)
    }

    static func mapping(_ pairs: [(String, Node)]) -> Node {
        .mapping(.init(pairs.map { (string($0.0), $0.1) }))
    }

    /// A string scalar, quoted when YAML would otherwise read it as another type (e.g. `True`, `5432`).
    static func string(_ text: String) -> Node {
        .scalar(text.represented())
    }

    static func integer(_ value: Int64) -> Node {
        Node(String(value), Tag(.int))
    }
}

extension Node {
    /// A YAML boolean.
    fileprivate static func boolean(_ value: Bool) -> Node {
        Node(value ? "true" : "false", Tag(.bool))
    }
}
