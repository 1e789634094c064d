extension ObjectReference {
    /// A reference to `object`: apiVersion, kind, namespace, name, uid and resourceVersion
    /// (for an Event's `regarding`).
    public init<R: KubernetesResource>(to object: R) {
        self.init(
            apiVersion: object.apiVersion ?? R.descriptor.apiVersion,
            kind: object.kind ?? R.descriptor.kind,
            namespace: object.metadata.namespace,
            name: object.metadata.name,
            uid: object.metadata.uid,
            resourceVersion: object.metadata.resourceVersion
        )
    }
}

extension OwnerReference {
    /// The controller reference a child carries to `owner` (`controller` and `blockOwnerDeletion`
    /// true), or nil when the owner has no name or uid yet (it was never stored).
    public static func controller<R: KubernetesResource>(of owner: R) -> OwnerReference? {
        guard let name = owner.metadata.name, let uid = owner.metadata.uid else { return nil }
        return OwnerReference(
            apiVersion: owner.apiVersion ?? R.descriptor.apiVersion,
            kind: owner.kind ?? R.descriptor.kind,
            name: name,
            uid: uid,
            controller: true,
            blockOwnerDeletion: true
        )
    }
}
