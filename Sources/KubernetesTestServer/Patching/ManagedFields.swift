/// Field ownership (`metadata.managedFields`) as sets of field paths, the way structured-merge-diff tracks them.
///
/// A path is a list of `fieldsV1` segments: `f:spec`, `k:{"name":"backup"}` (an element of a keyed list),
/// `v:"x"` (a value of a set-like string list such as `finalizers`). Simplifications, documented here because they are
/// visible to clients: list keys come from ``Patches/listKeys`` instead of a schema; every other list is atomic;
/// `time` is set whenever the manager's entry is written.
enum ManagedFields {
    typealias Path = [String]

    /// One `managedFields` entry.
    struct Entry: Equatable {
        var manager: String
        var operation: String
        var apiVersion: String
        var time: String?
        var subresource: String?
        var fields: Set<Path>

        func sameManager(_ other: Entry) -> Bool {
            manager == other.manager && operation == other.operation && subresource == other.subresource
        }
    }

    /// Which part of an object a write covers.
    enum Scope { case all, mainWithoutStatus, status }

    // MARK: - Field sets

    /// Leaf values by path (scalars, empty objects, atomic lists, set-list members).
    static func leaves(_ obj: JSONValue, scope: Scope) -> [Path: JSONValue] {
        var out: [Path: JSONValue] = [:]
        var nodes: Set<Path> = []
        var items: Set<Path> = []
        for (key, value) in topLevel(obj, scope: scope) {
            walk(value, path: ["f:" + key], isMetadata: key == "metadata", leaves: &out, nodes: &nodes, items: &items)
        }
        return out
    }

    /// All owned paths: leaves and keyed-list items, plus (for Update-style sets) every intermediate node.
    static func fieldSet(_ obj: JSONValue, scope: Scope, intermediate: Bool) -> Set<Path> {
        var leafs: [Path: JSONValue] = [:]
        var nodes: Set<Path> = []
        var items: Set<Path> = []
        for (key, value) in topLevel(obj, scope: scope) {
            walk(value, path: ["f:" + key], isMetadata: key == "metadata", leaves: &leafs, nodes: &nodes, items: &items)
        }
        var set = Set(leafs.keys).union(items)
        if intermediate { set.formUnion(nodes) }
        return set
    }

    private static func topLevel(_ obj: JSONValue, scope: Scope) -> [(String, JSONValue)] {
        guard let o = obj.objectValue else { return [] }
        var out: [(String, JSONValue)] = []
        for (k, v) in o {
            switch k {
            case "apiVersion", "kind": continue
            case "status": if scope == .mainWithoutStatus { continue }
            default: if scope == .status { continue }
            }
            if k == "metadata" {
                var m: [String: JSONValue] = [:]
                for mk in ["labels", "annotations", "ownerReferences", "finalizers"] { m[mk] = v[mk] }
                if !m.isEmpty { out.append((k, .object(m))) }
            } else {
                out.append((k, v))
            }
        }
        return out
    }

    private static func walk(_ value: JSONValue, path: Path, isMetadata: Bool, leaves: inout [Path: JSONValue],
                             nodes: inout Set<Path>, items: inout Set<Path>) {
        let key = path.last.map { String($0.dropFirst(2)) } ?? ""
        switch value {
        case .object(let o) where !o.isEmpty:
            if !isMetadata { nodes.insert(path) }
            for (k, v) in o { walk(v, path: path + ["f:" + k], isMetadata: false, leaves: &leaves, nodes: &nodes, items: &items) }
        case .array(let a) where key == "finalizers" && a.allSatisfy({ $0.stringValue != nil }) && !a.isEmpty:
            nodes.insert(path)
            for e in a { leaves[path + ["v:" + JSONWriter.string(e, shape: nil)]] = .bool(true) }
        case .array(let a) where Patches.listKeys[key] != nil && !a.isEmpty
                && a.allSatisfy({ $0[Patches.listKeys[key]!] != nil }):
            let mergeKey = Patches.listKeys[key]!
            nodes.insert(path)
            for e in a {
                let itemPath = path + ["k:" + JSONWriter.string(.object([mergeKey: e[mergeKey]!]), shape: nil)]
                items.insert(itemPath)
                for (k, v) in e.objectValue ?? [:] {
                    walk(v, path: itemPath + ["f:" + k], isMetadata: false, leaves: &leaves, nodes: &nodes, items: &items)
                }
            }
        default:
            leaves[path] = value
        }
    }

    // MARK: - fieldsV1 encoding

    /// Renders a path set as a `fieldsV1` object; a node that is owned and has children gets `".": {}`.
    static func render(_ paths: Set<Path>) -> JSONValue {
        final class Node { var owned = false; var children: [String: Node] = [:] }
        let root = Node()
        for p in paths {
            var n = root
            for seg in p {
                if let c = n.children[seg] { n = c } else { let c = Node(); n.children[seg] = c; n = c }
            }
            n.owned = true
        }
        func json(_ n: Node) -> JSONValue {
            var o: [String: JSONValue] = [:]
            for (k, c) in n.children { o[k] = json(c) }
            if n.owned && !n.children.isEmpty { o["."] = .object([:]) }
            return .object(o)
        }
        return json(root)
    }

    /// Reads a `fieldsV1` object back into a path set.
    static func parse(_ fields: JSONValue) -> Set<Path> {
        var out: Set<Path> = []
        func visit(_ v: JSONValue, _ path: Path) {
            guard let o = v.objectValue else { return }
            if !path.isEmpty && (o.isEmpty || o["."] != nil) { out.insert(path) }
            for (k, c) in o where k != "." { visit(c, path + [k]) }
        }
        visit(fields, [])
        return out
    }

    static func entries(of obj: JSONValue) -> [Entry] {
        (obj[path: "metadata", "managedFields"]?.arrayValue ?? []).compactMap { e in
            guard let manager = e["manager"]?.stringValue else { return nil }
            return Entry(manager: manager, operation: e["operation"]?.stringValue ?? "Update",
                         apiVersion: e["apiVersion"]?.stringValue ?? "", time: e["time"]?.stringValue,
                         subresource: e["subresource"]?.stringValue, fields: parse(e["fieldsV1"] ?? .object([:])))
        }
    }

    /// Sorted as the real server does: operation, time, manager, apiVersion, subresource.
    static func encode(_ entries: [Entry]) -> JSONValue {
        let sorted = entries.filter { !$0.fields.isEmpty }.sorted { p, q in
            if p.operation != q.operation { return p.operation < q.operation }
            if (p.time ?? "") != (q.time ?? "") { return (p.time ?? "") < (q.time ?? "") }
            if p.manager != q.manager { return p.manager < q.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return (p.subresource ?? "") < (q.subresource ?? "")
        }
        return .array(sorted.map { e in
            var o: [String: JSONValue] = [
                "manager": .string(e.manager), "operation": .string(e.operation), "apiVersion": .string(e.apiVersion),
                "fieldsType": .string("FieldsV1"), "fieldsV1": render(e.fields),
            ]
            if let t = e.time { o["time"] = .string(t) }
            if let s = e.subresource { o["subresource"] = .string(s) }
            return .object(o)
        })
    }

    // MARK: - Update

    /// Ownership after an Update by `me`: it takes every field whose value it changed; others lose those fields.
    static func recordUpdate(_ entries: [Entry], old: JSONValue?, new: JSONValue, me: Entry, scope: Scope) -> [Entry] {
        let fullNew = fieldSet(new, scope: .all, intermediate: true)
        let oldLeaves = old.map { leaves($0, scope: scope) } ?? [:]
        let newLeaves = leaves(new, scope: scope)
        var changed = Set(newLeaves.compactMap { p, v in oldLeaves[p] == v ? nil : p })
        let oldNodes = old.map { fieldSet($0, scope: scope, intermediate: true) } ?? []
        let newNodes = fieldSet(new, scope: scope, intermediate: true)
        changed.formUnion(newNodes.subtracting(oldNodes))
        if old == nil { changed = newNodes }
        var out: [Entry] = []
        var mine = me
        mine.fields = []
        var hadMine = false
        for var e in entries {
            if e.sameManager(me) {
                hadMine = true
                mine.fields = e.fields.intersection(fullNew)
                mine.time = e.time
                continue
            }
            e.fields = e.fields.intersection(fullNew).subtracting(changed)
            out.append(e)
        }
        // An Update manager also owns the parents of what it changed (Update sets are "with intermediates").
        for p in changed { for i in 1..<max(p.count, 1) where newNodes.contains(Array(p[0..<i])) { mine.fields.insert(Array(p[0..<i])) } }
        mine.fields.formUnion(changed)
        if !changed.isEmpty || !hadMine { mine.time = me.time }
        out.append(mine)
        return out
    }

    // MARK: - Path removal

    /// Removes the field at `path` (`f:`, `k:` and `v:` segments) from `obj`.
    static func remove(_ path: ArraySlice<String>, from obj: inout JSONValue) {
        guard let seg = path.first else { return }
        let rest = path.dropFirst()
        if seg.hasPrefix("f:"), case .object(var o) = obj {
            let key = String(seg.dropFirst(2))
            if rest.isEmpty {
                o[key] = nil
            } else if var child = o[key] {
                remove(rest, from: &child)
                // A map or list emptied by the removal goes too (07d: dropping the only env entry drops `env`).
                let emptied = child.objectValue?.isEmpty == true || child.arrayValue?.isEmpty == true
                o[key] = emptied ? nil : child
            }
            obj = .object(o)
        } else if seg.hasPrefix("k:"), case .array(var a) = obj,
                  let keyObj = try? JSONParser.parse(String(seg.dropFirst(2))), let (k, v) = keyObj.objectValue?.first {
            guard let i = a.firstIndex(where: { $0[k] == v }) else { return }
            if rest.isEmpty { a.remove(at: i) } else { remove(rest, from: &a[i]) }
            obj = .array(a)
        } else if seg.hasPrefix("v:"), case .array(var a) = obj, let v = try? JSONParser.parse(String(seg.dropFirst(2))) {
            a.removeAll { $0 == v }
            obj = .array(a)
        }
    }
}
