/// An object of kind `Full` read for its metadata only (`meta.k8s.io/v1 PartialObjectMetadata`, what client-go's
/// metadata informers cache). Decoding skips everything but `apiVersion`, `kind` and `metadata`, so a cache of many
/// large objects costs what their metadata costs; read the whole object when its content matters.
public struct PartialObjectMetadata<Full: KubernetesResource>: KubernetesResource {
    /// The place in the API of the full kind: lists, watches and deletes go to its URLs.
    public static var descriptor: ResourceDescriptor { Full.descriptor }

    /// `apiVersion` as the server sent it.
    public var apiVersion: String?
    /// `kind` as the server sent it.
    public var kind: String?
    /// The object's metadata.
    public var metadata: ObjectMeta

    /// Creates the metadata-only view of an object.
    public init(apiVersion: String? = Full.descriptor.apiVersion, kind: String? = Full.descriptor.kind, metadata: ObjectMeta) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.metadata = metadata
    }
}
