/// One field error found by validation, reported as a `Status` cause in a 422 answer.
public struct ValidationCause: Sendable, Hashable {
    /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueTypeInvalid`, `FieldValueForbidden`, …
    public var reason: String
    /// The cause's message, e.g. `Invalid value: -1: spec.retention.daily in body should be greater than or equal to 0`.
    public var message: String
    /// The JSON path without a leading dot, e.g. `spec.retention.daily`.
    public var field: String

    /// Creates a cause.
    public init(reason: String, message: String, field: String) {
        self.reason = reason
        self.message = message
        self.field = field
    }

    /// `FieldValueRequired` with the real server's message "Required value".
    public static func required(_ field: String) -> ValidationCause {
        ValidationCause(reason: "FieldValueRequired", message: "Required value", field: field)
    }

    /// `FieldValueInvalid` with the message `Invalid value: <value>: <detail>`; `value` is rendered as JSON.
    public static func invalid(_ field: String, value: JSONValue, _ detail: String) -> ValidationCause {
        ValidationCause(reason: "FieldValueInvalid", message: "Invalid value: \(JSONWriter.string(value, shape: nil)): \(detail)", field: field)
    }
}

/// A kind of object the test API server serves: a built-in resource or a CRD-like custom resource.
public struct ResourceDefinition: Sendable {
    /// API group; empty for the core group (`/api/v1`).
    public var group: String
    /// Version, e.g. `v1alpha1`.
    public var version: String
    /// Kind, e.g. `BackupPolicy`.
    public var kind: String
    /// Plural resource name used in paths, e.g. `backuppolicies`.
    public var plural: String
    /// Whether objects live in namespaces.
    public var namespaced: Bool
    /// Whether `/status` is a separate subresource (the main endpoint then keeps the stored status).
    public var hasStatusSubresource: Bool
    /// Whether the type has `metadata.generation` (CRs, Job, CronJob, Pod, Deployment; not ConfigMap, Lease, Event …).
    public var hasGeneration: Bool
    /// Schema defaults: keys missing from the object are filled from this object recursively (e.g. `spec.suspend: false`).
    public var defaults: JSONValue?
    /// Emulates the CRD's schema and CEL validation: returns one cause per violation (empty when valid).
    public var validate: (@Sendable (JSONValue) -> [ValidationCause])?
    /// The structural schema as a tree of allowed keys: an object maps each allowed key to its own tree, `true`
    /// keeps everything below (`x-kubernetes-preserve-unknown-fields`); arrays apply the tree to their elements.
    /// Unknown fields are pruned with a warning, or rejected with `fieldValidation=Strict` (08b). Nil keeps all.
    public var knownFields: JSONValue?
    /// Built-in types are encoded in Go struct order, get built-in defaults and accept strategic merge patches.
    var builtIn: BuiltInKind?

    /// Registers a custom resource (alphabetical keys, `continue: ""` in lists, SMP answered with 415).
    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool = true,
                hasStatusSubresource: Bool = true, hasGeneration: Bool = true, defaults: JSONValue? = nil,
                knownFields: JSONValue? = nil, validate: (@Sendable (JSONValue) -> [ValidationCause])? = nil) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.hasStatusSubresource = hasStatusSubresource
        self.hasGeneration = hasGeneration
        self.defaults = defaults
        self.knownFields = knownFields
        self.validate = validate
        self.builtIn = nil
    }

    /// `group/version`, or just `version` for the core group.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `plural.group` as the server names the resource in messages (`backuppolicies.lifeboat.dev`, `configmaps`).
    public var qualifiedResource: String { group.isEmpty ? plural : "\(plural).\(group)" }
    /// `Kind.group` as used in 422 messages (`BackupPolicy.lifeboat.dev`, `CronJob.batch`, `Event`).
    public var qualifiedKind: String { group.isEmpty ? kind : "\(kind).\(group)" }
    /// Unique key of the resource.
    var id: String { "\(group)/\(version)/\(plural)" }
    /// Storage key shared by versions of one resource (core and events.k8s.io events are separate here).
    var isCustom: Bool { builtIn == nil }

    /// The key order of one object of this kind.
    var objectShape: KeyShape? { builtIn?.shape }
}
