import Foundation

/// `core/v1 Secret`.
public struct Secret: KubernetesResource {
    /// core `v1`/`secrets`, namespaced.
    public static let descriptor = ResourceDescriptor(group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true)
    /// `v1`.
    public var apiVersion: String?
    /// `Secret`.
    public var kind: String?
    /// Object metadata.
    public var metadata: ObjectMeta
    /// Values, base64-encoded as on the wire.
    public var data: [String: String]?
    /// Write-only plain-text values merged into `data` by the server.
    public var stringData: [String: String]?
    /// E.g. `Opaque`, `kubernetes.io/tls`.
    public var type: String?
    /// When true, data cannot change.
    public var immutable: Bool?

    /// Creates a Secret with `apiVersion` and `kind` filled in.
    public init(metadata: ObjectMeta, data: [String: String]? = nil, stringData: [String: String]? = nil, type: String? = nil, immutable: Bool? = nil) {
        self.apiVersion = Self.descriptor.apiVersion
        self.kind = Self.descriptor.kind
        self.metadata = metadata
        self.data = data
        self.stringData = stringData
        self.type = type
        self.immutable = immutable
    }

    /// The decoded bytes of `data[key]`, or nil when the key is absent or not valid base64.
    public func decodedValue(forKey key: String) -> Data? {
        data?[key].flatMap { Data(base64Encoded: $0) }
    }
}
