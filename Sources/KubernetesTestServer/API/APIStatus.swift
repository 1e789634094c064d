/// An API error answered as a `metav1.Status`, worded as kube-apiserver v1.36 words it (samples 03, 04a, 04b, 08a, 12d, 21a).
struct APIError: Error {
    var code: Int
    var reason: String
    var message: String
    var details: JSONValue?
    var metadata: JSONValue = .object([:])
    var headers: [(String, String)] = []

    /// The Status object.
    var status: JSONValue {
        var o: [String: JSONValue] = [
            "kind": .string("Status"), "apiVersion": .string("v1"), "metadata": metadata, "status": .string("Failure"),
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
        o["details"] = details
        return .object(o)
    }

    static func details(name: String?, def: ResourceDefinition?, kind: String?, causes: [ValidationCause] = [],
                        group: String? = nil) -> JSONValue {
        var d: [String: JSONValue] = [:]
        if let name { d["name"] = .string(name) }
        if let g = group ?? def?.group, !g.isEmpty { d["group"] = .string(g) }
        if let kind { d["kind"] = .string(kind) }
        if !causes.isEmpty {
            d["causes"] = .array(causes.map {
                .object(["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)])
            })
        }
        return .object(d)
    }

    static func notFound(_ def: ResourceDefinition, _ name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(def.qualifiedResource) \"\(name)\" not found",
                 details: details(name: name, def: def, kind: def.plural))
    }

    static func namespaceNotFound(_ ns: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "namespaces \"\(ns)\" not found",
                 details: details(name: ns, def: nil, kind: "namespaces"))
    }

    static func alreadyExists(_ def: ResourceDefinition, _ name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(def.qualifiedResource) \"\(name)\" already exists",
                 details: details(name: name, def: def, kind: def.plural))
    }

    static func conflict(_ def: ResourceDefinition, _ name: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(def.qualifiedResource) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
                 details: details(name: name, def: def, kind: def.plural))
    }

    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    /// 422 Invalid with one cause per violation; `details.kind` is the Kind.
    static func invalid(_ def: ResourceDefinition, _ name: String, _ causes: [ValidationCause]) -> APIError {
        // Go aggregates the field errors into one message and drops repeated ones (12b lists a cause twice).
        var parts: [String] = []
        for c in causes where !parts.contains("\(c.field): \(c.message)") { parts.append("\(c.field): \(c.message)") }
        let summary = parts.count == 1 ? parts[0] : "[" + parts.joined(separator: ", ") + "]"
        // events.k8s.io Events are validated as the internal core Event: no group in the message or details (17a).
        let ungrouped = def.group.isEmpty || def.builtIn == .eventsV1Event
        let named = ungrouped ? def.kind : def.qualifiedKind
        return APIError(code: 422, reason: "Invalid", message: "\(named) \"\(name)\" is invalid: \(summary)",
                        details: details(name: name, def: def, kind: def.kind, causes: causes, group: ungrouped ? "" : nil))
    }

    /// The JSON-patch failure: 422 with a generic message and empty details (06b).
    static let patchFailed = APIError(code: 422, reason: "Invalid",
                                      message: "the server rejected our request due to an error in our request",
                                      details: .object([:]))

    static func unsupportedMediaType(_ accepted: String) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: \(accepted)")
    }

    static let gone = APIError(code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")

    static func tooOldWatch(_ asked: Int, _ oldest: Int) -> APIError {
        APIError(code: 410, reason: "Expired", message: "too old resource version: \(asked) (\(oldest))")
    }

    static func forbidden(_ def: ResourceDefinition, name: String?, verb: String, user: String, namespace: String?) -> APIError {
        let target = name.map { "\(def.qualifiedResource) \"\($0)\"" } ?? def.qualifiedResource
        var msg = "\(target) is forbidden: User \"\(user)\" cannot \(verb) resource \"\(def.plural)\" in API group \"\(def.group)\""
        msg += namespace.map { " in the namespace \"\($0)\"" } ?? " at the cluster scope"
        return APIError(code: 403, reason: "Forbidden", message: msg, details: details(name: name, def: def, kind: def.plural))
    }

    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")
}
