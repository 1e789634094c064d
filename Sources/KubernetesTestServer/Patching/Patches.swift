import Foundation

/// JSON merge patch (RFC 7386), JSON patch (RFC 6902) and a strategic-merge subset.
enum Patches {
    /// Lists merged element-wise by a key in strategic merge patch and server-side apply; every other list is atomic.
    /// A simplification of the real per-field schema (patchMergeKey / x-kubernetes-list-map-keys).
    static let listKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "env": "name", "volumes": "name",
        "volumeMounts": "mountPath", "ports": "containerPort", "conditions": "type", "ownerReferences": "uid",
        "imagePullSecrets": "name",
    ]

    /// RFC 7386: objects merge recursively, `null` deletes, everything else replaces.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var t = target.objectValue ?? [:]
        for (k, v) in p {
            if v.isNull { t[k] = nil } else { t[k] = merge(t[k] ?? .null, v) }
        }
        return .object(t)
    }

    /// Strategic merge patch as a merge patch whose keyed lists (``listKeys``) merge by key; `$patch: delete`
    /// in a list element removes it. Other directives are not supported.
    static func strategicMerge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var t = target.objectValue ?? [:]
        for (k, v) in p {
            if v.isNull { t[k] = nil; continue }
            if let key = listKeys[k], case .array(let patchItems) = v, case .array(let current)? = t[k] {
                t[k] = .array(mergeList(current, patchItems, key: key, deep: strategicMerge))
            } else {
                t[k] = strategicMerge(t[k] ?? .null, v)
            }
        }
        return .object(t)
    }

    /// Merges keyed list elements: patch elements update the element with the same key or are appended.
    static func mergeList(_ current: [JSONValue], _ patch: [JSONValue], key: String,
                          deep: (JSONValue, JSONValue) -> JSONValue) -> [JSONValue] {
        var result = current
        for item in patch {
            guard let k = item[key] else { result.append(item); continue }
            let index = result.firstIndex { $0[key] == k }
            if item["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
                continue
            }
            if let index { result[index] = deep(result[index], item) } else { result.append(item) }
        }
        return result
    }

    /// Why a JSON patch failed: the body is not a list of operations (400), or an operation failed (422).
    enum JSONPatchError: Error { case notAnArray, failed }

    /// RFC 6902 with JSON pointers (RFC 6901).
    static func jsonPatch(_ target: JSONValue, _ ops: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard case .array(let list) = ops else { throw .notAnArray }
        var doc = target
        for op in list {
            guard let name = op["op"]?.stringValue, let path = op["path"]?.stringValue else { throw .failed }
            let tokens = try pointer(path)
            switch name {
            case "add":
                guard let value = op["value"] else { throw .failed }
                doc = try add(doc, tokens[...], value)
            case "remove":
                doc = try remove(doc, tokens[...])
            case "replace":
                guard let value = op["value"] else { throw .failed }
                _ = try get(doc, tokens[...])
                doc = try remove(doc, tokens[...])
                doc = try add(doc, tokens[...], value)
            case "test":
                guard let value = op["value"], try get(doc, tokens[...]) == value else { throw .failed }
            case "move", "copy":
                guard let from = op["from"]?.stringValue else { throw .failed }
                let fromTokens = try pointer(from)
                let value = try get(doc, fromTokens[...])
                if name == "move" { doc = try remove(doc, fromTokens[...]) }
                doc = try add(doc, tokens[...], value)
            default:
                throw .failed
            }
        }
        return doc
    }

    private static func pointer(_ path: String) throws(JSONPatchError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw .failed }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ doc: JSONValue, _ tokens: ArraySlice<String>) throws(JSONPatchError) -> JSONValue {
        guard let first = tokens.first else { return doc }
        switch doc {
        case .object(let o):
            guard let child = o[first] else { throw .failed }
            return try get(child, tokens.dropFirst())
        case .array(let a):
            guard let i = Int(first), a.indices.contains(i) else { throw .failed }
            return try get(a[i], tokens.dropFirst())
        default: throw .failed
        }
    }

    private static func add(_ doc: JSONValue, _ tokens: ArraySlice<String>, _ value: JSONValue) throws(JSONPatchError) -> JSONValue {
        guard let first = tokens.first else { return value }
        let rest = tokens.dropFirst()
        switch doc {
        case .object(var o):
            if rest.isEmpty { o[first] = value } else {
                guard let child = o[first] else { throw .failed }
                o[first] = try add(child, rest, value)
            }
            return .object(o)
        case .array(var a):
            if rest.isEmpty {
                if first == "-" { a.append(value); return .array(a) }
                guard let i = Int(first), i >= 0, i <= a.count else { throw .failed }
                a.insert(value, at: i)
            } else {
                guard let i = Int(first), a.indices.contains(i) else { throw .failed }
                a[i] = try add(a[i], rest, value)
            }
            return .array(a)
        default: throw .failed
        }
    }

    private static func remove(_ doc: JSONValue, _ tokens: ArraySlice<String>) throws(JSONPatchError) -> JSONValue {
        guard let first = tokens.first else { throw .failed }
        let rest = tokens.dropFirst()
        switch doc {
        case .object(var o):
            guard let child = o[first] else { throw .failed }
            if rest.isEmpty { o[first] = nil } else { o[first] = try remove(child, rest) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { throw .failed }
            if rest.isEmpty { a.remove(at: i) } else { a[i] = try remove(a[i], rest) }
            return .array(a)
        default: throw .failed
        }
    }
}
