import Foundation
import Yams

extension Store {
    /// Server-side apply (`application/apply-patch+yaml`) with per-manager field ownership (07a–07d).
    ///
    /// Simplifications: list keys come from ``Patches/listKeys`` instead of the schema; conflicts are detected on
    /// leaf fields only; every other list is atomic.
    func apply(_ def: ResourceDefinition, body: [UInt8], ctx: WriteContext) throws(APIError) -> (Int, JSONValue) {
        let name = ctx.name ?? ""
        guard let manager = ctx.query["fieldManager"], !manager.isEmpty else {
            throw APIError(code: 422, reason: "Invalid",
                           message: "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch",
                           details: APIError.details(name: nil, def: nil, kind: "PatchOptions", causes: [
                               ValidationCause(reason: "FieldValueRequired", message: "Required value: is required for apply patch",
                                               field: "fieldManager")], group: "meta.k8s.io"))
        }
        let force = ctx.query["force"] == "true"
        var config = try Store.decodeApplyBody(body)
        guard case .object = config else { throw APIError.badRequest("error decoding YAML: the apply body must be an object") }
        if let v = config["apiVersion"]?.stringValue, v != def.apiVersion {
            throw APIError.badRequest("the API version in the data (\(v)) does not match the expected API version (\(def.apiVersion))")
        }
        if let k = config["kind"]?.stringValue, k != def.kind {
            throw APIError.badRequest("the kind in the data (\(k)) does not match the expected kind (\(def.kind))")
        }
        if let n = config[path: "metadata", "name"]?.stringValue, n != name {
            throw APIError.badRequest("the name of the object (\(n)) does not match the name on the URL (\(name))")
        }
        config = typed(def, config)
        if config["metadata"]?.objectValue == nil { config["metadata"] = .object([:]) }
        config["metadata"]?["name"] = .string(name)
        for k in Store.serverMetadata { config["metadata"]?[k] = nil }
        let scope: ManagedFields.Scope = ctx.subresource == "status" ? .status
            : (def.hasStatusSubresource ? .mainWithoutStatus : .all)
        if scope == .status {
            config = .object(["apiVersion": config["apiVersion"]!, "kind": config["kind"]!,
                              "metadata": .object(["name": .string(name)]), "status": config["status"] ?? .object([:])])
        } else if scope == .mainWithoutStatus {
            config["status"] = nil
        }
        let configLeaves = ManagedFields.leaves(config, scope: scope)
        let configSet = ManagedFields.fieldSet(config, scope: scope, intermediate: false)
        let now = KubeTime.seconds()
        let me = ManagedFields.Entry(manager: manager, operation: "Apply", apiVersion: def.apiVersion, time: now,
                                     subresource: ctx.subresource, fields: configSet)

        return try locked { () throws(APIError) -> (Int, JSONValue) in
            guard let old = stored(def, ctx.namespace, name) else {
                if scope == .status { throw APIError.notFound(def, name) }
                return (201, try insert(def, config, ctx: ctx, entries: [me]))
            }
            let entries = ManagedFields.entries(of: old)
            let oldLeaves = ManagedFields.leaves(old, scope: scope)
            var conflicts: [(manager: String, path: ManagedFields.Path)] = []
            for (p, v) in configLeaves.sorted(by: { $0.key.joined() < $1.key.joined() }) {
                guard let current = oldLeaves[p], current != v else { continue }
                for e in entries where !e.sameManager(me) && e.fields.contains(p) { conflicts.append((e.manager, p)) }
            }
            if !conflicts.isEmpty && !force { throw Store.applyConflict(conflicts) }

            var merged = Patches.strategicMerge(old, config)
            let previous = entries.first { $0.sameManager(me) }
            // Parents first: once a keyed list element is removed, its own fields need no removal.
            let dropped = (previous?.fields ?? []).subtracting(configSet).sorted { $0.count < $1.count }
            var removed: [ManagedFields.Path] = []
            for p in dropped where !entries.contains(where: { !$0.sameManager(me) && $0.fields.contains(p) }) {
                if removed.contains(where: { p.starts(with: $0) }) { continue }
                ManagedFields.remove(p[...], from: &merged)
                removed.append(p)
            }
            let conflictPaths = Set(conflicts.map(\.path))
            var newEntries: [ManagedFields.Entry] = entries.compactMap { e in
                if e.sameManager(me) { return nil }
                var e = e
                e.fields.subtract(conflictPaths)
                return e
            }
            var mine = me
            if let previous, previous.fields == configSet { mine.time = previous.time }
            newEntries.append(mine)
            let result = try commitUpdate(def, old: old, proposed: merged, ctx: ctx, entries: newEntries)
            return (200, result)
        }
    }

    /// An apply body is YAML (JSON being a subset); timestamps stay strings, as in Go's YAML-to-JSON conversion.
    static func decodeApplyBody(_ body: [UInt8]) throws(APIError) -> JSONValue {
        if let json = try? JSONParser.parse(body) { return json }
        let text = String(decoding: body, as: UTF8.self)
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text, Resolver.default.removing(.timestamp))
        } catch {
            throw APIError.badRequest("error decoding YAML: \(error)")
        }
        guard let loaded, let value = JSONValue(any: loaded) else {
            throw APIError.badRequest("error decoding YAML: the apply body is not a YAML object")
        }
        return value
    }

    /// 409 with one `FieldManagerConflict` cause per field (07b).
    static func applyConflict(_ conflicts: [(manager: String, path: ManagedFields.Path)]) -> APIError {
        func dotted(_ p: ManagedFields.Path) -> String {
            p.map { seg in seg.hasPrefix("f:") ? "." + seg.dropFirst(2) : "[" + seg.dropFirst(2) + "]" }.joined()
        }
        let causes = conflicts.map {
            ValidationCause(reason: "FieldManagerConflict", message: "conflict with \"\($0.manager)\"", field: dotted($0.path))
        }
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \"\(conflicts[0].manager)\": \(dotted(conflicts[0].path))"
        } else {
            message = "Apply failed with \(conflicts.count) conflicts: "
                + conflicts.map { "conflict with \"\($0.manager)\": \(dotted($0.path))" }.joined(separator: "\n")
        }
        var details: [String: JSONValue] = [:]
        details["causes"] = .array(causes.map {
            .object(["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)])
        })
        return APIError(code: 409, reason: "Conflict", message: message, details: .object(details))
    }
}
