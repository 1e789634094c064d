import KubernetesModels

/// A Secret as the controller caches it: metadata and the names of its keys, never the values.
///
/// Validation only needs to know that a referenced key exists; decoding Secrets into this type drops every value as
/// soon as it arrives, so the controller's memory (and any dump of it) holds no credentials.
public struct SecretKeyNames: KubernetesResource {
    /// Secrets (`v1`), namespaced.
    public static let descriptor = Secret.descriptor

    /// `v1`.
    public var apiVersion: String?
    /// `Secret`.
    public var kind: String?
    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// The names of the keys in `data` and `stringData`.
    public var keys: Set<String>

    /// Creates a value.
    public init(metadata: ObjectMeta, keys: Set<String>) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.keys = keys
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, data, stringData }

    /// A key of `data` whose value is skipped, not stored.
    private struct Ignored: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// Decodes a Secret, keeping only the key names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        metadata = try container.decode(ObjectMeta.self, forKey: .metadata)
        let data = try container.decodeIfPresent([String: Ignored].self, forKey: .data) ?? [:]
        let stringData = try container.decodeIfPresent([String: Ignored].self, forKey: .stringData) ?? [:]
        keys = Set(data.keys).union(stringData.keys)
    }

    /// Encodes the metadata and the key names with empty values (never sent to the API server).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(Dictionary(uniqueKeysWithValues: keys.map { ($0, "") }), forKey: .data)
    }
}
