import Foundation

/// `metav1.ObjectMeta`: the metadata every persisted Kubernetes object carries.
///
/// Every field is optional because the server omits empty ones and because a client
/// sends only the fields it means to set (for example in a merge patch or an apply).
public struct ObjectMeta: Codable, Sendable, Hashable {
    /// Unique name within the namespace (and kind).
    public var name: String?
    /// Prefix for a server-generated name when `name` is empty.
    public var generateName: String?
    /// The namespace; nil for cluster-scoped objects.
    public var namespace: String?
    /// Server-assigned unique id, stable for the object's life.
    public var uid: String?
    /// Opaque version for optimistic concurrency and watches (a decimal string).
    public var resourceVersion: String?
    /// Bumped by the server when the spec changes (not metadata or status).
    public var generation: Int64?
    /// When the object was created (RFC 3339, whole seconds).
    public var creationTimestamp: String?
    /// Set when deletion was requested and finalizers still run.
    public var deletionTimestamp: String?
    /// Grace period of a pending deletion (0 for non-pods).
    public var deletionGracePeriodSeconds: Int64?
    /// Labels, for selection.
    public var labels: [String: String]?
    /// Annotations, for non-identifying data.
    public var annotations: [String: String]?
    /// Owners, for garbage collection.
    public var ownerReferences: [OwnerReference]?
    /// Finalizers that must be removed before the object goes.
    public var finalizers: [String]?
    /// Field ownership records (server-side apply); kept as raw JSON.
    public var managedFields: [JSONValue]?

    private enum CodingKeys: String, CodingKey {
        case name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp
        case deletionGracePeriodSeconds, labels, annotations, ownerReferences, finalizers, managedFields
    }

    /// Decodes metadata; `managedFields` is skipped, never materialised, when the decoder's `userInfo` has
    /// `CodingUserInfoKey.skipManagedFields` set to true (a controller that never reads them saves most of the
    /// decoding time of a server-side-applied object: they are as large as the fields they describe).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        generateName = try container.decodeIfPresent(String.self, forKey: .generateName)
        namespace = try container.decodeIfPresent(String.self, forKey: .namespace)
        uid = try container.decodeIfPresent(String.self, forKey: .uid)
        resourceVersion = try container.decodeIfPresent(String.self, forKey: .resourceVersion)
        generation = try container.decodeIfPresent(Int64.self, forKey: .generation)
        creationTimestamp = try container.decodeIfPresent(String.self, forKey: .creationTimestamp)
        deletionTimestamp = try container.decodeIfPresent(String.self, forKey: .deletionTimestamp)
        deletionGracePeriodSeconds = try container.decodeIfPresent(Int64.self, forKey: .deletionGracePeriodSeconds)
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        ownerReferences = try container.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences)
        finalizers = try container.decodeIfPresent([String].self, forKey: .finalizers)
        if decoder.userInfo[.skipManagedFields] as? Bool == true {
            managedFields = nil
        } else {
            managedFields = try container.decodeIfPresent([JSONValue].self, forKey: .managedFields)
        }
    }

    /// Creates metadata with the fields a client usually sets.
    public init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        ownerReferences: [OwnerReference]? = nil,
        finalizers: [String]? = nil,
        resourceVersion: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.ownerReferences = ownerReferences
        self.finalizers = finalizers
        self.resourceVersion = resourceVersion
    }
}

extension CodingUserInfoKey {
    /// Set to `true` in a decoder's `userInfo` to leave `ObjectMeta.managedFields` nil instead of decoding it.
    public static let skipManagedFields = CodingUserInfoKey(rawValue: "dev.lifeboat.skipManagedFields")!
}

/// `metav1.OwnerReference`: links a dependent to its owner for garbage collection.
public struct OwnerReference: Codable, Sendable, Hashable {
    /// API version of the owner.
    public var apiVersion: String
    /// Kind of the owner.
    public var kind: String
    /// Name of the owner.
    public var name: String
    /// UID of the owner.
    public var uid: String
    /// True for the single managing controller.
    public var controller: Bool?
    /// With foreground deletion, the owner waits for this dependent.
    public var blockOwnerDeletion: Bool?

    /// Creates an owner reference.
    public init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool? = nil, blockOwnerDeletion: Bool? = nil) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
        self.blockOwnerDeletion = blockOwnerDeletion
    }
}

/// `metav1.ListMeta`: the metadata of a list response.
public struct ListMeta: Codable, Sendable, Hashable {
    /// resourceVersion of the list snapshot: the version to watch from.
    public var resourceVersion: String?
    /// Opaque token for the next page; empty or absent on the last page.
    public var `continue`: String?
    /// How many items remain after this page (only when there is a next page).
    public var remainingItemCount: Int64?

    /// Creates list metadata.
    public init(resourceVersion: String? = nil, continue: String? = nil, remainingItemCount: Int64? = nil) {
        self.resourceVersion = resourceVersion
        self.continue = `continue`
        self.remainingItemCount = remainingItemCount
    }
}
