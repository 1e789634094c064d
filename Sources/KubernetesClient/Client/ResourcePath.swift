import KubernetesModels

/// Builds API paths: `/api/v1/…` for the core group, `/apis/<group>/<version>/…` otherwise.
enum ResourcePath {
    /// The collection (`name == nil`) or object path, optionally with a subresource.
    ///
    /// A namespaced resource with `namespace == nil` addresses all namespaces, which is only
    /// valid for list and watch; callers that need one object check that first.
    static func make(_ descriptor: ResourceDescriptor, namespace: String?, name: String? = nil, subresource: String? = nil) -> String {
        var path = descriptor.group.isEmpty ? "/api/\(descriptor.version)" : "/apis/\(descriptor.group)/\(descriptor.version)"
        if descriptor.namespaced, let namespace {
            path += "/namespaces/\(KubernetesClient.percentEncode(namespace))"
        }
        path += "/\(descriptor.plural)"
        if let name {
            path += "/\(KubernetesClient.percentEncode(name))"
            if let subresource { path += "/\(subresource)" }
        }
        return path
    }

    /// The path of one object, failing when a namespaced resource has no namespace or the name is empty.
    static func object(_ descriptor: ResourceDescriptor, namespace: String?, name: String?, subresource: String? = nil, operation: String) throws -> String {
        guard let name, !name.isEmpty else {
            throw KubernetesError(code: .invalidRequest, message: "\(operation) \(descriptor.kind): the object has no name")
        }
        if descriptor.namespaced, namespace?.isEmpty ?? true {
            throw KubernetesError(code: .invalidRequest, message: "\(operation) \(descriptor.kind) \"\(name)\": a namespace is required for this namespaced resource")
        }
        return make(descriptor, namespace: namespace, name: name, subresource: subresource)
    }
}
