import Foundation
import KubernetesModels
import NIOCore
import NIOHTTP1

extension KubernetesClient {
    // MARK: Read

    /// GET one object. Throws a `KubernetesError` with `isNotFound` when it does not exist.
    ///
    /// - Parameters:
    ///   - type: the resource type.
    ///   - name: the object's name.
    ///   - namespace: required for namespaced resources, ignored otherwise.
    public func get<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil) async throws -> R {
        try await getObject(R.descriptor, name: name, namespace: namespace, as: R.self)
    }

    /// GET one object, or nil when it does not exist (404).
    public func getIfExists<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil) async throws -> R? {
        do {
            return try await get(type, name: name, namespace: namespace)
        } catch let error as KubernetesError where error.isNotFound {
            return nil
        }
    }

    /// GET one page of a collection. `namespace == nil` lists across all namespaces.
    public func list<R: KubernetesResource>(_ type: R.Type, namespace: String? = nil, options: ListOptions = ListOptions()) async throws -> ResourceList<R> {
        try await listObjects(R.descriptor, namespace: namespace, options: options, as: ResourceList<R>.self)
    }

    /// Every item of a collection, following `continue` tokens page by page.
    ///
    /// The result's `metadata.resourceVersion` is the first page's (every page carries the same
    /// snapshot version), which is the version to start a watch from. When a continue token
    /// expires meanwhile (410, the snapshot was compacted), the whole collection is listed again
    /// in one unpaged request, as client-go's pager does, so the result is still one snapshot.
    public func listAll<R: KubernetesResource>(
        _ type: R.Type,
        namespace: String? = nil,
        labelSelector: String? = nil,
        fieldSelector: String? = nil,
        pageSize: Int = 500
    ) async throws -> ResourceList<R> {
        var options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: pageSize)
        var first = try await list(type, namespace: namespace, options: options)
        var token = first.metadata?.continue ?? ""
        while !token.isEmpty {
            try Task.checkCancellation()
            options.continueToken = token
            let page: ResourceList<R>
            do {
                page = try await list(type, namespace: namespace, options: options)
            } catch let error as KubernetesError where error.isGone {
                logger.debug("continue token expired; listing without paging", metadata: ["k8s.kind": "\(R.descriptor.kind)"])
                var whole = try await list(type, namespace: namespace, options: ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector))
                whole.metadata?.continue = nil
                whole.metadata?.remainingItemCount = nil
                return whole
            }
            first.items.append(contentsOf: page.items)
            token = page.metadata?.continue ?? ""
        }
        first.metadata?.continue = nil
        first.metadata?.remainingItemCount = nil
        return first
    }

    // MARK: Write

    /// POST a new object (201). The namespace is `namespace`, else the object's `metadata.namespace`.
    /// Throws `isAlreadyExists` when the name is taken.
    public func create<R: KubernetesResource>(_ object: R, namespace: String? = nil) async throws -> R {
        let namespace = namespace ?? object.metadata.namespace
        if R.descriptor.namespaced, namespace?.isEmpty ?? true {
            throw KubernetesError(code: .invalidRequest, message: "create \(R.descriptor.kind) \"\(object.metadata.name ?? object.metadata.generateName ?? "")\": a namespace is required for this namespaced resource")
        }
        let path = ResourcePath.make(R.descriptor, namespace: namespace)
        return try await write(.POST, path: path, query: writeQuery(), body: object, contentType: MediaType.json, as: R.self)
    }

    /// PUT the whole object. `metadata.resourceVersion` must be the one read: a stale one throws `isConflict`.
    ///
    /// Fields the Swift type does not model are not sent, so the PUT clears them: for objects that
    /// other controllers also write (CronJobs, Jobs), prefer `apply` or `patch`.
    public func replace<R: KubernetesResource>(_ object: R) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: object.metadata.namespace, name: object.metadata.name, operation: "replace")
        return try await write(.PUT, path: path, query: writeQuery(), body: object, contentType: MediaType.json, as: R.self)
    }

    /// JSON merge patch (`application/merge-patch+json`): keys in `mergePatch` replace, `null` deletes,
    /// lists are replaced whole. Include `metadata.resourceVersion` in the patch for an optimistic lock.
    public func patch<R: KubernetesResource, Patch: Encodable & Sendable>(_ type: R.Type, name: String, namespace: String? = nil, mergePatch: Patch) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: namespace, name: name, operation: "patch")
        return try await write(.PATCH, path: path, query: writeQuery(), body: mergePatch, contentType: MediaType.mergePatch, as: R.self)
    }

    /// Server-side apply of a whole typed object (`application/apply-patch+yaml` with a JSON body).
    ///
    /// Creates the object when missing (201). Fields this manager applied before and no longer
    /// sends are removed. `managedFields` is cleared before sending (the server rejects it).
    /// A field owned by another manager throws `isConflict` with `FieldManagerConflict` causes unless `force`.
    public func apply<R: KubernetesResource>(_ object: R, force: Bool = false, fieldManager: String? = nil) async throws -> R {
        var object = object
        object.metadata.managedFields = nil
        if object.apiVersion == nil { object.apiVersion = R.descriptor.apiVersion }
        if object.kind == nil { object.kind = R.descriptor.kind }
        return try await apply(R.self, name: object.metadata.name ?? "", namespace: object.metadata.namespace, configuration: object, force: force, fieldManager: fieldManager)
    }

    /// `apply(_:force:fieldManager:)` reading back only the stored object's metadata (resourceVersion, uid,
    /// generation), for callers that do not use the answer: decoding a whole child on every write costs a controller
    /// about as much as building it.
    public func applyReturningMetadata<R: KubernetesResource>(_ object: R, force: Bool = false, fieldManager: String? = nil) async throws -> ObjectMeta {
        var object = object
        object.metadata.managedFields = nil
        if object.apiVersion == nil { object.apiVersion = R.descriptor.apiVersion }
        if object.kind == nil { object.kind = R.descriptor.kind }
        let path = try ResourcePath.object(R.descriptor, namespace: object.metadata.namespace, name: object.metadata.name ?? "", operation: "apply")
        return try await write(.PATCH, path: path, query: applyQuery(force: force, fieldManager: fieldManager), body: object,
                               contentType: MediaType.applyPatch, as: MetadataOnly.self).metadata
    }

    /// Server-side apply of a partial object (an "apply configuration", e.g. a `JSONValue`).
    /// It must carry `apiVersion`, `kind` and `metadata.name`.
    public func apply<R: KubernetesResource, Body: Encodable & Sendable>(
        _ type: R.Type,
        name: String,
        namespace: String? = nil,
        configuration: Body,
        force: Bool = false,
        fieldManager: String? = nil
    ) async throws -> R {
        let path = try ResourcePath.object(R.descriptor, namespace: namespace, name: name, operation: "apply")
        return try await write(.PATCH, path: path, query: applyQuery(force: force, fieldManager: fieldManager), body: configuration, contentType: MediaType.applyPatch, as: R.self)
    }

    /// DELETE one object. Answers `.deleted(Status)` when it went at once, `.deleting(object)` when
    /// finalizers or foreground propagation defer it. A missing object throws `isNotFound`.
    public func delete<R: KubernetesResource>(_ type: R.Type, name: String, namespace: String? = nil, options: DeleteOptions = DeleteOptions()) async throws -> DeleteResult<R> {
        try await deleteObject(R.descriptor, name: name, namespace: namespace, options: options, as: R.self)
    }

    // MARK: Shared implementation (typed and JSONValue paths)

    func getObject<T: Decodable>(_ descriptor: ResourceDescriptor, name: String, namespace: String?, as type: T.Type) async throws -> T {
        let path = try ResourcePath.object(descriptor, namespace: namespace, name: name, operation: "get")
        let response = try await send(method: .GET, path: path)
        return try decode(T.self, from: response.body, label: "GET \(path)")
    }

    func listObjects<T: Decodable>(_ descriptor: ResourceDescriptor, namespace: String?, options: ListOptions, as type: T.Type) async throws -> T {
        let path = ResourcePath.make(descriptor, namespace: namespace)
        let response = try await send(method: .GET, path: path, query: options.query)
        return try decode(T.self, from: response.body, label: "GET \(path)")
    }

    func write<Body: Encodable, T: Decodable>(_ method: HTTPMethod, path: String, query: [(String, String)], body: Body, contentType: String, as type: T.Type) async throws -> T {
        let label = "\(method.rawValue) \(path)"
        let data = try encode(body, label: label)
        let response = try await send(method: method, path: path, query: query, body: data, contentType: contentType)
        return try decode(T.self, from: response.body, label: label)
    }

    func deleteObject<T: Decodable & Sendable>(_ descriptor: ResourceDescriptor, name: String, namespace: String?, options: DeleteOptions, as type: T.Type) async throws -> DeleteResult<T> {
        let path = try ResourcePath.object(descriptor, namespace: namespace, name: name, operation: "delete")
        let label = "DELETE \(path)"
        let body = options.isEmpty ? nil : try encode(options, label: label)
        let response = try await send(method: .DELETE, path: path, body: body, contentType: MediaType.json)
        // 200 with a Status when gone at once; 200 (or 202) with the object when deferred.
        let probe = try decode(KindProbe.self, from: response.body, label: label)
        if probe.kind == "Status" {
            return .deleted(try decode(Status.self, from: response.body, label: label))
        }
        return .deleting(try decode(T.self, from: response.body, label: label))
    }

    func writeQuery() -> [(String, String)] {
        [("fieldManager", configuration.fieldManager)]
    }

    func applyQuery(force: Bool, fieldManager: String?) -> [(String, String)] {
        [("fieldManager", fieldManager ?? configuration.fieldManager), ("force", force ? "true" : "false")]
    }
}

/// Reads only `metadata` of an answer whose body the caller does not need.
struct MetadataOnly: Decodable {
    var metadata: ObjectMeta
}

/// Reads only `kind`, to tell a Status from an object.
struct KindProbe: Decodable {
    var kind: String?
}
