import KubernetesModels

/// Untyped access for kinds without a Swift type (or when every field must survive a round trip):
/// objects are `JSONValue`s and the resource is named by its `ResourceDescriptor`.
extension KubernetesClient {
    /// GET one object as JSON.
    public func get(_ descriptor: ResourceDescriptor, name: String, namespace: String? = nil) async throws -> JSONValue {
        try await getObject(descriptor, name: name, namespace: namespace, as: JSONValue.self)
    }

    /// GET one page of a collection as JSON (`namespace == nil`: all namespaces).
    public func list(_ descriptor: ResourceDescriptor, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> JSONValue {
        try await listObjects(descriptor, namespace: namespace, options: options, as: JSONValue.self)
    }

    /// POST a JSON object into `namespace`.
    public func create(_ descriptor: ResourceDescriptor, namespace: String? = nil, object: JSONValue) async throws -> JSONValue {
        if descriptor.namespaced, namespace?.isEmpty ?? true {
            throw KubernetesError(code: .invalidRequest, message: "create \(descriptor.kind): a namespace is required for this namespaced resource")
        }
        return try await write(.POST, path: ResourcePath.make(descriptor, namespace: namespace), query: writeQuery(), body: object, contentType: MediaType.json, as: JSONValue.self)
    }

    /// PUT a JSON object (it must carry `metadata.resourceVersion`).
    public func replace(_ descriptor: ResourceDescriptor, name: String, namespace: String? = nil, object: JSONValue) async throws -> JSONValue {
        let path = try ResourcePath.object(descriptor, namespace: namespace, name: name, operation: "replace")
        return try await write(.PUT, path: path, query: writeQuery(), body: object, contentType: MediaType.json, as: JSONValue.self)
    }

    /// JSON merge patch of one object or, with `subresource: "status"`, of its status.
    public func patch(_ descriptor: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil, mergePatch: JSONValue) async throws -> JSONValue {
        let path = try ResourcePath.object(descriptor, namespace: namespace, name: name, subresource: subresource, operation: "patch")
        return try await write(.PATCH, path: path, query: writeQuery(), body: mergePatch, contentType: MediaType.mergePatch, as: JSONValue.self)
    }

    /// Server-side apply of a JSON apply configuration, optionally to a subresource.
    public func apply(_ descriptor: ResourceDescriptor, name: String, namespace: String? = nil, subresource: String? = nil, configuration: JSONValue, force: Bool = false, fieldManager: String? = nil) async throws -> JSONValue {
        let path = try ResourcePath.object(descriptor, namespace: namespace, name: name, subresource: subresource, operation: "apply")
        return try await write(.PATCH, path: path, query: applyQuery(force: force, fieldManager: fieldManager), body: configuration, contentType: MediaType.applyPatch, as: JSONValue.self)
    }

    /// DELETE one object; see `delete(_:name:namespace:options:)`.
    public func delete(_ descriptor: ResourceDescriptor, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()) async throws -> DeleteResult<JSONValue> {
        try await deleteObject(descriptor, name: name, namespace: namespace, options: options, as: JSONValue.self)
    }
}
