import Foundation
import Testing
@testable import KubernetesTestServer

/// Starts a server with the BackupPolicy CRD of the samples registered and the namespace `demo` created, runs the
/// body, and shuts the server down.
func withServer<T>(_ options: KubernetesTestServer.Options = .init(bookmarkInterval: 60, garbageCollectionDelay: 0.3),
                   namespaces: [String] = ["demo"],
                   _ body: (KubernetesTestServer, WireClient) async throws -> T) async throws -> T {
    let server = try await KubernetesTestServer.start(options: options)
    server.register(BackupPolicyCRD.definition)
    var client = WireClient(port: server.port)
    if let token = options.bearerToken { client.extraHeaders = [("Authorization", "Bearer \(token)")] }
    do {
        for ns in namespaces {
            let r = try await client.send("POST", "/api/v1/namespaces", body: #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"\#(ns)"}}"#)
            #expect(r.status == 201, "creating namespace \(ns): \(r.text)")
        }
        let result = try await body(server, client)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

/// The sample CRD (`00-crd.yaml`): status subresource, default `suspend: false`, `schedule` required, `daily >= 0`,
/// CEL `daily <= 365` (checked only when the schema passes).
enum BackupPolicyCRD {
    static let bp = "/apis/lifeboat.dev/v1alpha1/namespaces/demo/backuppolicies"

    static let definition = ResourceDefinition(
        group: "lifeboat.dev", version: "v1alpha1", kind: "BackupPolicy", plural: "backuppolicies",
        namespaced: true, hasStatusSubresource: true,
        defaults: .object(["spec": .object(["suspend": .bool(false)])]),
        knownFields: .object([
            "spec": .object(["schedule": .bool(true), "retention": .object(["daily": .bool(true)]), "suspend": .bool(true)]),
            "status": .object(["phase": .bool(true), "lastBackupTime": .bool(true), "observedGeneration": .bool(true),
                               "conditions": .object(["type": .bool(true), "status": .bool(true), "reason": .bool(true),
                                                      "message": .bool(true), "observedGeneration": .bool(true),
                                                      "lastTransitionTime": .bool(true)])]),
        ]),
        validate: { obj in
            var causes: [ValidationCause] = []
            let spec = obj["spec"]
            if let s = spec?["suspend"], s.boolValue == nil {
                let type = s.stringValue != nil ? "string" : "number"
                causes.append(ValidationCause(reason: "FieldValueTypeInvalid",
                                              message: "Invalid value: \"\(type)\": spec.suspend in body must be of type boolean: \"\(type)\"",
                                              field: "spec.suspend"))
            }
            if (spec?["schedule"]?.stringValue ?? "").isEmpty, spec != nil { causes.append(.required("spec.schedule")) }
            if !causes.isEmpty {
                // Structural errors stop the CEL rules from running (sample 08a, request 3).
                causes.append(ValidationCause(reason: "FieldValueInvalid",
                                              message: "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
                                              field: "<nil>"))
                return causes
            }
            if let daily = spec?[path: "retention", "daily"]?.intValue, daily < 0 {
                causes.append(.invalid("spec.retention.daily", value: .int(daily),
                                       "spec.retention.daily in body should be greater than or equal to 0"))
            }
            if let daily = spec?[path: "retention", "daily"]?.intValue, daily > 365 {
                causes.append(ValidationCause(reason: "FieldValueInvalid", message: "Invalid value: retention.daily must be at most 365", field: "spec"))
            }
            return causes
        })

    static func body(_ name: String, schedule: String = "@daily", extra: String = "") -> String {
        #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"\#(name)"\#(extra)},"spec":{"schedule":"\#(schedule)"}}"#
    }
}

extension WireClient.Response {
    /// A field of the JSON body by path.
    subscript(path: String...) -> JSONValue? {
        var cur = json
        for p in path { cur = cur?[p] }
        return cur
    }

    var resourceVersion: String? { json?[path: "metadata", "resourceVersion"]?.stringValue }
}

/// Replaces values that differ between runs (uids, times, resourceVersions) so bodies can be compared with samples.
func normalized(_ v: JSONValue, keys: Set<String> = ["uid", "creationTimestamp", "resourceVersion", "time",
                                                       "deletionTimestamp", "managedFields"]) -> JSONValue {
    switch v {
    case .object(let o):
        var out: [String: JSONValue] = [:]
        for (k, x) in o { out[k] = keys.contains(k) ? .string("*") : normalized(x, keys: keys) }
        return .object(out)
    case .array(let a): return .array(a.map { normalized($0, keys: keys) })
    default: return v
    }
}

/// Polls until `condition` holds or `seconds` pass.
func eventually(_ seconds: Double = 3, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    return try await condition()
}
