import Foundation

extension Store {
    /// PUT on the main resource or on `/status` (04a, 04b, 05a–05c, 16a).
    func replace(_ def: ResourceDefinition, body: [UInt8], ctx: WriteContext) throws(APIError) -> JSONValue {
        let obj = try decode(def, body)
        let name = ctx.name ?? ""
        if let bodyName = obj[path: "metadata", "name"]?.stringValue, bodyName != name {
            throw APIError.badRequest("the name of the object (\(bodyName)) does not match the name on the URL (\(name))")
        }
        if def.namespaced, let bodyNS = obj[path: "metadata", "namespace"]?.stringValue, !bodyNS.isEmpty, bodyNS != ctx.namespace {
            throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        return try locked { () throws(APIError) -> JSONValue in
            guard let old = stored(def, ctx.namespace, name) else { throw APIError.notFound(def, name) }
            let sentRV = obj[path: "metadata", "resourceVersion"]?.stringValue ?? ""
            if sentRV.isEmpty {
                if def.isCustom {
                    throw APIError(code: 422, reason: "Invalid",
                                   message: "\(def.qualifiedResource) \"\(name)\" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update",
                                   details: APIError.details(name: name, def: def, kind: def.plural, causes: [
                                       ValidationCause(reason: "FieldValueInvalid", message: "Invalid value: 0: must be specified for an update",
                                                       field: "metadata.resourceVersion")]))
                }
            } else if sentRV != old[path: "metadata", "resourceVersion"]?.stringValue {
                throw APIError.conflict(def, name)
            }
            return try commitUpdate(def, old: old, proposed: obj, ctx: ctx)
        }
    }

    /// PATCH with merge, JSON, strategic merge or apply patch (06a–06c, 07a–07d).
    func patch(_ def: ResourceDefinition, contentType: String, body: [UInt8], ctx: WriteContext) throws(APIError) -> (Int, JSONValue) {
        let name = ctx.name ?? ""
        let mediaType = contentType.split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? ""
        let accepted = def.isCustom
            ? "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
            : "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml, application/apply-patch+cbor"
        switch mediaType {
        case "application/merge-patch+json", "application/json-patch+json", "application/apply-patch+yaml": break
        case "application/strategic-merge-patch+json" where !def.isCustom: break
        default: throw APIError.unsupportedMediaType(accepted)
        }
        if mediaType == "application/apply-patch+yaml" { return try apply(def, body: body, ctx: ctx) }
        let patchDoc: JSONValue
        do throws(JSONParser.Error) { patchDoc = try JSONParser.parse(body) } catch {
            throw APIError.badRequest("error decoding patch: \(error.description)")
        }
        return try locked { () throws(APIError) -> (Int, JSONValue) in
            guard let old = stored(def, ctx.namespace, name) else { throw APIError.notFound(def, name) }
            var patched: JSONValue
            switch mediaType {
            case "application/json-patch+json":
                do throws(Patches.JSONPatchError) { patched = try Patches.jsonPatch(old, patchDoc) } catch {
                    if error == .notAnArray {
                        throw APIError.badRequest("error decoding patch: json: cannot unmarshal \(Store.goType(patchDoc)) into Go value of type []handlers.jsonPatchOp")
                    }
                    throw APIError.patchFailed
                }
            case "application/strategic-merge-patch+json":
                guard case .object = patchDoc else { throw APIError.badRequest("error decoding patch: not an object") }
                patched = Patches.strategicMerge(old, patchDoc)
            default:
                guard case .object = patchDoc else {
                    throw APIError.badRequest("error decoding patch: json: cannot unmarshal \(Store.goType(patchDoc)) into Go value of type map[string]interface {}")
                }
                patched = Patches.merge(old, patchDoc)
            }
            if let v = patched[path: "metadata", "resourceVersion"]?.stringValue,
               v != old[path: "metadata", "resourceVersion"]?.stringValue {
                throw APIError.conflict(def, name)
            }
            if patched[path: "metadata", "name"]?.stringValue != name {
                throw APIError.badRequest("the name of the object (\(patched[path: "metadata", "name"]?.stringValue ?? "")) does not match the name on the URL (\(name))")
            }
            return (200, try commitUpdate(def, old: old, proposed: typed(def, patched), ctx: ctx))
        }
    }

    /// Commits an Update: keeps server metadata, the stored status (or only takes the status for `/status`),
    /// enforces the finalizer rules of a deleting object, bumps generation only for changes outside metadata and
    /// status, and is a no-op (same resourceVersion, no event) when nothing changed.
    func commitUpdate(_ def: ResourceDefinition, old: JSONValue, proposed: JSONValue, ctx: WriteContext,
                      entries: [ManagedFields.Entry]? = nil) throws(APIError) -> JSONValue {
        let name = ctx.name ?? ""
        var new: JSONValue
        if ctx.subresource == "status" {
            new = old
            new["status"] = proposed["status"]
        } else {
            new = proposed
            if def.hasStatusSubresource { new["status"] = old["status"] }
        }
        if new["metadata"]?.objectValue == nil { new["metadata"] = .object([:]) }
        for k in Store.serverMetadata + ["name", "namespace"] { new["metadata"]?[k] = old[path: "metadata", k] }
        if def.builtIn == .namespace, ctx.subresource != "status" { new["spec"] = old["spec"] }
        if let sentUID = proposed[path: "metadata", "uid"]?.stringValue, !sentUID.isEmpty,
           let uid = old[path: "metadata", "uid"]?.stringValue, sentUID != uid {
            // The object was deleted and re-created since the client read it.
            throw APIError(code: 409, reason: "Conflict",
                           message: "Operation cannot be fulfilled on \(def.qualifiedResource) \"\(name)\": Precondition failed: UID in precondition: \(sentUID), UID in object meta: \(uid)",
                           details: APIError.details(name: name, def: def, kind: def.plural))
        }

        if old[path: "metadata", "deletionTimestamp"] != nil {
            let oldFinalizers = Set((old[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue))
            let added = (new[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
                .filter { !oldFinalizers.contains($0) }
            if !added.isEmpty {
                let list = added.map { "\"\($0)\"" }.joined(separator: ", ")
                let cause = ValidationCause(reason: "FieldValueForbidden",
                                            message: "Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\(list)}",
                                            field: "metadata.finalizers")
                throw APIError.invalid(def, name, [cause, cause])
            }
        }
        try pruneUnknownFields(def, &new, ctx: ctx)
        try defaultAndValidate(def, &new, uid: old[path: "metadata", "uid"]?.stringValue ?? "")
        if let builtIn = def.builtIn, ctx.subresource == nil {
            let causes = BuiltInValidation.validateUpdate(old: old, new: new, kind: builtIn)
            if !causes.isEmpty { throw APIError.invalid(def, name, causes) }
        }

        let scope: ManagedFields.Scope = ctx.subresource == "status" ? .status
            : (def.hasStatusSubresource ? .mainWithoutStatus : .all)
        let oldEntries = ManagedFields.entries(of: old)
        var newEntries = entries.map { list in
            let full = ManagedFields.fieldSet(new, scope: .all, intermediate: true)
            return list.map { e in var e = e; e.fields.formIntersection(full); return e }
        }
        if Store.withoutManaged(new) == Store.withoutManaged(old) {
            guard let e = newEntries else { return old }
            if Store.sameOwnership(e, oldEntries) { return old }
        }

        if def.hasGeneration, Store.specPart(new) != Store.specPart(old) {
            new["metadata"]?["generation"] = .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1)
        }
        if newEntries == nil {
            let me = ManagedFields.Entry(manager: ctx.manager, operation: "Update", apiVersion: def.apiVersion,
                                         time: KubeTime.seconds(), subresource: ctx.subresource, fields: [])
            newEntries = ManagedFields.recordUpdate(oldEntries, old: old, new: new, me: me, scope: scope)
        }
        let encoded = ManagedFields.encode(newEntries ?? [])
        new["metadata"]?["managedFields"] = encoded.arrayValue?.isEmpty == false ? encoded : nil
        if ctx.dryRun { return new }

        if new[path: "metadata", "deletionTimestamp"] != nil,
           (new[path: "metadata", "finalizers"]?.arrayValue ?? []).isEmpty, def.builtIn != .namespace {
            // The last finalizer is gone: the object is deleted; the answer keeps the old resourceVersion and the
            // DELETED event carries the last stored state with a new one (12b, 12c).
            finishDeletion(def, old)
            return new
        }
        let rv = nextRV()
        new["metadata"]?["resourceVersion"] = .string(String(rv))
        put(def, new)
        emit(def, "MODIFIED", new, previous: old, rv: rv)
        if new[path: "metadata", "ownerReferences"] != old[path: "metadata", "ownerReferences"] { scheduleGarbageCollection() }
        return new
    }

    static func sameOwnership(_ a: [ManagedFields.Entry], _ b: [ManagedFields.Entry]) -> Bool {
        func key(_ e: [ManagedFields.Entry]) -> Set<String> {
            Set(e.filter { !$0.fields.isEmpty }.map { "\($0.manager)|\($0.operation)|\($0.subresource ?? "")|\($0.fields.map { $0.joined(separator: ".") }.sorted())" })
        }
        return key(a) == key(b)
    }

    static func withoutManaged(_ obj: JSONValue) -> JSONValue {
        var o = obj
        o["metadata"]?["managedFields"] = nil
        o["metadata"]?["resourceVersion"] = nil
        return o
    }

    /// Everything outside `metadata` and `status`: what `generation` tracks.
    static func specPart(_ obj: JSONValue) -> JSONValue {
        var o = obj
        o["metadata"] = nil
        o["status"] = nil
        return o
    }

    /// Removes an object for good: DELETED event with a new resourceVersion, then the garbage collector runs.
    func finishDeletion(_ def: ResourceDefinition, _ last: JSONValue) {
        removeStored(def, last)
        let rv = nextRV()
        var gone = last
        gone["metadata"]?["resourceVersion"] = .string(String(rv))
        emit(def, "DELETED", gone, previous: last, rv: rv)
        scheduleGarbageCollection()
    }
}
