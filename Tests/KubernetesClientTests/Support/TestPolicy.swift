import KubernetesModels

/// The BackupPolicy of the samples, with spec and status kept as raw JSON so every field survives
/// a round trip (the real type lives in LifeboatAPI, which this target does not depend on).
struct TestPolicy: KubernetesResource, HasStatus {
    static let descriptor = ResourceDescriptor(group: "lifeboat.dev", version: "v1alpha1", kind: "BackupPolicy", plural: "backuppolicies", namespaced: true)
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var spec: JSONValue?
    var status: JSONValue?
}
