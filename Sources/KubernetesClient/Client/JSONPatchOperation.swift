import KubernetesModels

/// One RFC 6902 operation of a JSON patch (`application/json-patch+json`).
///
/// A failing `test` rejects the whole patch with 422 Invalid (not 409), so `test` on
/// `/metadata/resourceVersion` is an optimistic lock, and `test` before `remove` of a list
/// element (a finalizer) makes sure the right element goes (sample 06b).
public struct JSONPatchOperation: Encodable, Sendable, Hashable {
    /// `add`, `remove`, `replace`, `move`, `copy` or `test`.
    public var op: String
    /// JSON pointer, e.g. `/metadata/finalizers/0` (`~1` for `/`, `~0` for `~` in keys).
    public var path: String
    /// The value for add, replace and test.
    public var value: JSONValue?
    /// The source pointer for move and copy.
    public var from: String?

    /// Creates an operation.
    public init(op: String, path: String, value: JSONValue? = nil, from: String? = nil) {
        self.op = op
        self.path = path
        self.value = value
        self.from = from
    }

    /// `{"op":"test",…}`: the patch fails (422) unless `path` holds `value`.
    public static func test(_ path: String, _ value: JSONValue) -> Self { Self(op: "test", path: path, value: value) }
    /// `{"op":"add",…}`: adds or sets a member, or inserts into a list (`/-` appends).
    public static func add(_ path: String, _ value: JSONValue) -> Self { Self(op: "add", path: path, value: value) }
    /// `{"op":"replace",…}`: sets an existing member.
    public static func replace(_ path: String, _ value: JSONValue) -> Self { Self(op: "replace", path: path, value: value) }
    /// `{"op":"remove",…}`: removes a member or list element (422 when missing).
    public static func remove(_ path: String) -> Self { Self(op: "remove", path: path) }

    /// Escapes a map key (such as a label with `/`) for use in a JSON pointer.
    public static func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private enum CodingKeys: String, CodingKey { case op, path, value, from }

    /// Encodes `value` only when set (a `test` or `add` of JSON null is `.null`, which is sent).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(op, forKey: .op)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(from, forKey: .from)
    }
}

extension KubernetesClient {
    /// JSON patch (`application/json-patch+json`, RFC 6902). A failing `test` throws `isInvalid` (422).
    public func jsonPatch<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil, subresource: String? = nil, operations: [JSONPatchOperation]) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: namespace, name: name, subresource: subresource, operation: "patch")
        return try await write(.PATCH, path: path, query: writeQuery(), body: operations, contentType: MediaType.jsonPatch, as: R.self)
    }
}
