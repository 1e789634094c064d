import Foundation

/// What a write request carries besides its body.
struct WriteContext {
    var namespace: String?
    var name: String?
    var subresource: String?
    var manager: String
    var dryRun: Bool
    var query: [String: String]
    /// Warnings for the response headers (unknown fields, deprecated defaults).
    let warnings = WarningSink()
}

extension Store {
    /// Server-controlled metadata that a client cannot set.
    static let serverMetadata = ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
                                 "deletionGracePeriodSeconds", "managedFields", "selfLink"]

    /// Parses a request body for `def`, with the real server's 400 messages (21a).
    func decode(_ def: ResourceDefinition, _ body: [UInt8]) throws(APIError) -> JSONValue {
        let obj: JSONValue
        do throws(JSONParser.Error) {
            obj = try JSONParser.parse(body)
        } catch {
            let text = String(decoding: body, as: UTF8.self)
            let snippet = text.count > 30 ? String(text.prefix(30)) + " ..." : text
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(def.kind)): couldn't get version/kind; json parse error: \(error.description) (\(snippet))")
        }
        guard case .object = obj else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(def.kind)): couldn't get version/kind; json parse error: json: cannot unmarshal \(Self.goType(obj)) into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }")
        }
        var out = obj
        if def.isCustom {
            guard let kind = obj["kind"]?.stringValue, !kind.isEmpty else {
                throw APIError.badRequest("Object 'Kind' is missing in '\(String(decoding: body, as: UTF8.self))'")
            }
            _ = kind
        }
        if let v = obj["apiVersion"]?.stringValue, v != def.apiVersion {
            throw APIError.badRequest("the API version in the data (\(v)) does not match the expected API version (\(def.apiVersion))")
        }
        if let k = obj["kind"]?.stringValue, k != def.kind {
            throw APIError.badRequest("the kind in the data (\(k)) does not match the expected kind (\(def.kind))")
        }
        out = typed(def, out)
        if out["metadata"] == nil || out["metadata"]?.isNull == true { out["metadata"] = .object([:]) }
        return out
    }

    static func goType(_ v: JSONValue) -> String {
        switch v {
        case .array: return "array"
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        default: return "object"
        }
    }

    /// Applies defaults, decode-time checks and validation; throws 400 or 422.
    func defaultAndValidate(_ def: ResourceDefinition, _ obj: inout JSONValue, uid: String) throws(APIError) {
        // ObjectMeta's collections are `omitempty` in Go: an emptied one disappears (12b).
        for key in ["labels", "annotations", "finalizers", "ownerReferences"] {
            if let v = obj[path: "metadata", key],
               v.isNull || v.objectValue?.isEmpty == true || v.arrayValue?.isEmpty == true {
                obj["metadata"]?[key] = nil
            }
        }
        let name = obj[path: "metadata", "name"]?.stringValue ?? ""
        if let builtIn = def.builtIn {
            do throws(BuiltInValidation.DecodeError) { try BuiltInValidation.decode(&obj, kind: builtIn, def: def) } catch { throw APIError.badRequest(error.message) }
            builtIn.applyDefaults(&obj, uid: uid)
            let causes = BuiltInValidation.validate(obj, kind: builtIn)
            if !causes.isEmpty { throw APIError.invalid(def, name, causes) }
        } else {
            if let defaults = def.defaults { obj = Store.fillDefaults(obj, defaults) }
            if let validate = def.validate {
                let causes = validate(obj)
                if !causes.isEmpty { throw APIError.invalid(def, name, causes) }
            }
        }
    }

    /// Fills keys missing in `obj` from `defaults`, recursively through objects that exist in `obj`.
    static func fillDefaults(_ obj: JSONValue, _ defaults: JSONValue) -> JSONValue {
        guard case .object(var o) = obj, case .object(let d) = defaults else { return obj }
        for (k, dv) in d {
            if let existing = o[k] {
                if case .object = dv { o[k] = fillDefaults(existing, dv) }
            } else if dv.objectValue?.isEmpty ?? true {
                // A default for a missing object-valued field is not applied: its parent must exist first.
                o[k] = dv
            }
        }
        return .object(o)
    }

    /// POST: create a new object (201), or, with `dryRun`, validate it and store nothing.
    func create(_ def: ResourceDefinition, body: [UInt8], ctx: WriteContext) throws(APIError) -> JSONValue {
        let obj = try decode(def, body)
        return try locked { () throws(APIError) -> JSONValue in try insert(def, obj, ctx: ctx, entries: nil) }
    }

    /// Stores a new object; `entries` are precomputed managed fields (server-side apply), else an Update entry.
    func insert(_ def: ResourceDefinition, _ input: JSONValue, ctx: WriteContext,
                entries: [ManagedFields.Entry]?) throws(APIError) -> JSONValue {
        var obj = input
        let ns = def.namespaced ? (ctx.namespace ?? "default") : nil
        if let bodyNS = obj[path: "metadata", "namespace"]?.stringValue, !bodyNS.isEmpty, bodyNS != ns, def.namespaced {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var name = obj[path: "metadata", "name"]?.stringValue ?? ""
        if name.isEmpty, let prefix = obj[path: "metadata", "generateName"]?.stringValue, !prefix.isEmpty {
            let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
            repeat {
                name = prefix + String((0..<5).map { _ in alphabet.randomElement()! })
            } while stored(def, ns, name) != nil
            obj["metadata"]?["name"] = .string(name)
        }
        if name.isEmpty {
            throw APIError.invalid(def, "", [ValidationCause(reason: "FieldValueRequired",
                                                            message: "Required value: name or generateName is required",
                                                            field: "metadata.name")])
        }
        if let ns {
            guard let nsObj = namespaceObject(ns) else { throw APIError.namespaceNotFound(ns) }
            if nsObj[path: "metadata", "deletionTimestamp"] != nil {
                var e = APIError(code: 403, reason: "Forbidden",
                                 message: "\(def.qualifiedResource) \"\(name)\" is forbidden: unable to create new content in namespace \(ns) because it is being terminated",
                                 details: APIError.details(name: name, def: def, kind: def.plural, causes: [
                                     ValidationCause(reason: "NamespaceTerminating", message: "namespace \(ns) is being terminated",
                                                     field: "metadata.namespace")]))
                e.headers = []
                throw e
            }
            obj["metadata"]?["namespace"] = .string(ns)
        } else {
            obj["metadata"]?["namespace"] = nil
        }
        if stored(def, ns, name) != nil { throw APIError.alreadyExists(def, name) }
        if entries == nil, let sent = obj[path: "metadata", "resourceVersion"]?.stringValue, !sent.isEmpty {
            // etcd refuses it; a client that creates from a copy of a read object hits this on a real cluster.
            let text = "resourceVersion should not be set on objects to be created"
            throw APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(text)",
                           details: .object(["causes": .array([.object(["message": .string(text)])])]))
        }
        for k in Store.serverMetadata { obj["metadata"]?[k] = nil }
        if def.hasStatusSubresource { obj["status"] = nil }
        try pruneUnknownFields(def, &obj, ctx: ctx)
        let uid = UUID().uuidString.lowercased()
        try defaultAndValidate(def, &obj, uid: uid)
        let now = KubeTime.seconds()
        obj["metadata"]?["uid"] = .string(uid)
        obj["metadata"]?["creationTimestamp"] = .string(now)
        if def.hasGeneration { obj["metadata"]?["generation"] = .int(1) }
        let scope: ManagedFields.Scope = def.hasStatusSubresource ? .mainWithoutStatus : .all
        let me = ManagedFields.Entry(manager: ctx.manager, operation: "Update", apiVersion: def.apiVersion, time: now,
                                     subresource: nil, fields: [])
        let managed = entries ?? ManagedFields.recordUpdate([], old: nil, new: obj, me: me, scope: scope)
        let encoded = ManagedFields.encode(managed)
        if encoded.arrayValue?.isEmpty == false { obj["metadata"]?["managedFields"] = encoded }
        if ctx.dryRun { return obj }
        let rv = nextRV()
        obj["metadata"]?["resourceVersion"] = .string(String(rv))
        put(def, obj)
        emit(def, "ADDED", obj, previous: nil, rv: rv)
        // The real GC also collects objects created with owners that do not exist (a wrong uid, a deleted owner).
        if obj[path: "metadata", "ownerReferences"] != nil { scheduleGarbageCollection() }
        return obj
    }

    /// GET one object.
    func get(_ def: ResourceDefinition, namespace: String?, name: String) throws(APIError) -> JSONValue {
        try locked { () throws(APIError) -> JSONValue in
            guard let obj = stored(def, namespace, name) else { throw APIError.notFound(def, name) }
            return obj
        }
    }
}
