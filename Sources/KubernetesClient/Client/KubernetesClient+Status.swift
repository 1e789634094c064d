import KubernetesModels

extension KubernetesClient {
    /// PUT `/status`: the server keeps only `.status` from the body (spec and labels are ignored)
    /// and does not bump `generation`. A stale `metadata.resourceVersion` throws `isConflict`.
    public func replaceStatus<R: HasStatus>(_ object: R) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: object.metadata.namespace, name: object.metadata.name, subresource: "status", operation: "replace status of")
        return try await write(.PUT, path: path, query: writeQuery(), body: object, contentType: MediaType.json, as: R.self)
    }

    /// `replaceStatus(_:)` reading back only the stored object's metadata (its new resourceVersion), for callers that
    /// do not use the answer.
    public func replaceStatusReturningMetadata<R: HasStatus>(_ object: R) async throws -> ObjectMeta {
        let path = try ResourcePath.object(R.descriptor, namespace: object.metadata.namespace, name: object.metadata.name, subresource: "status", operation: "replace status of")
        return try await write(.PUT, path: path, query: writeQuery(), body: object, contentType: MediaType.json, as: MetadataOnly.self).metadata
    }

    /// Merge PATCH `/status`, e.g. `["status": ["phase": "Ready"]]` as a `JSONValue`; anything outside `.status` is ignored.
    public func patchStatus<R: HasStatus, Patch: Encodable & Sendable>(_ type: R.Type, name: String, namespace: String? = nil, mergePatch: Patch) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: namespace, name: name, subresource: "status", operation: "patch status of")
        return try await write(.PATCH, path: path, query: writeQuery(), body: mergePatch, contentType: MediaType.mergePatch, as: R.self)
    }

    /// Server-side apply to `/status` of `object.status` (only apiVersion, kind, name, namespace and status are sent).
    public func applyStatus<R: HasStatus>(_ object: R, force: Bool = true, fieldManager: String? = nil) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: object.metadata.namespace, name: object.metadata.name, subresource: "status", operation: "apply status of")
        let body = StatusApplyBody(
            apiVersion: object.apiVersion ?? R.descriptor.apiVersion,
            kind: object.kind ?? R.descriptor.kind,
            metadata: ObjectMeta(name: object.metadata.name, namespace: object.metadata.namespace),
            status: object.status
        )
        return try await write(.PATCH, path: path, query: applyQuery(force: force, fieldManager: fieldManager), body: body, contentType: MediaType.applyPatch, as: R.self)
    }
}

/// The body of a status apply: identity plus status, nothing else.
struct StatusApplyBody<S: Encodable>: Encodable {
    var apiVersion: String
    var kind: String
    var metadata: ObjectMeta
    var status: S?
}
