import KubernetesModels

/// When the kubelet pulls the worker image.
public enum ImagePullPolicy: String, Codable, Sendable, Hashable, CaseIterable {
    /// Pull on every start.
    case always = "Always"
    /// Pull only when the node lacks the image.
    case ifNotPresent = "IfNotPresent"
    /// Never pull.
    case never = "Never"
}

/// Settings of the pods that run the worker.
public struct PodSettings: Codable, Sendable, Hashable {
    /// Worker image; absent means the image the controller was deployed with.
    public var image: String?
    /// Pull policy of the worker image.
    public var imagePullPolicy: ImagePullPolicy?
    /// CPU and memory.
    public var resources: ResourceRequirementsSpec?
    /// Node labels the pods must match.
    public var nodeSelector: [String: String]?
    /// Tolerations, as in a Pod spec.
    public var tolerations: [JSONValue]?
    /// ServiceAccount of the pods (needs no Kubernetes permissions).
    public var serviceAccountName: String?
    /// Extra annotations on the pods, e.g. for a service mesh.
    public var annotations: [String: String]?

    /// Creates pod settings.
    public init(
        image: String? = nil, imagePullPolicy: ImagePullPolicy? = nil, resources: ResourceRequirementsSpec? = nil,
        nodeSelector: [String: String]? = nil, tolerations: [JSONValue]? = nil, serviceAccountName: String? = nil,
        annotations: [String: String]? = nil
    ) {
        self.image = image
        self.imagePullPolicy = imagePullPolicy
        self.resources = resources
        self.nodeSelector = nodeSelector
        self.tolerations = tolerations
        self.serviceAccountName = serviceAccountName
        self.annotations = annotations
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Settings of the pods that run the lifeboat worker (backups, checks, WAL streaming).",
        [
            .init("image", .string("Worker image. Empty means the image the controller was deployed with, which is the tested combination.", minLength: 1)),
            .init("imagePullPolicy", .string("When the kubelet pulls the image.", enum: ImagePullPolicy.allCases.map(\.rawValue))),
            .init("resources", ResourceRequirementsSpec.schema),
            .init("nodeSelector", .map("Node labels the pods must match, e.g. to keep backups off database nodes.", of: .string("A label value."))),
            .init("tolerations", .array("Tolerations, written as in a Pod spec.", of: .any("One toleration (key, operator, value, effect, tolerationSeconds)."), listType: "atomic")),
            .init("serviceAccountName", .string("ServiceAccount of the pods. The worker needs no Kubernetes permissions; a dedicated account is only needed for cloud identity (e.g. IRSA).", minLength: 1, maxLength: 253)),
            .init("annotations", .map("Extra annotations on the pods, e.g. to opt out of a service mesh sidecar.", of: .string("An annotation value."))),
        ]
    )
}
