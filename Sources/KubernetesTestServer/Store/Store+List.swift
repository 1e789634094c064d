import Foundation

extension Store {
    static func sortKey(_ o: JSONValue) -> String {
        "\(o[path: "metadata", "namespace"]?.stringValue ?? "")/\(o[path: "metadata", "name"]?.stringValue ?? "")"
    }

    /// The opaque continue token: base64url of `{"v":"meta.k8s.io/v1","rv":N,"start":"<key>\u0000"}` (09a).
    static func continueToken(rv: Int, start: String) -> String {
        let json = JSONWriter.string(.object(["v": .string("meta.k8s.io/v1"), "rv": .int(Int64(rv)),
                                              "start": .string(start + "\u{0}")]), shape: KeyShape(["v", "rv", "start"]))
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeContinue(_ token: String) -> (rv: Int, start: String)? {
        var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let obj = try? JSONParser.parse(Array(data)),
              let rv = obj["rv"]?.intValue, let start = obj["start"]?.stringValue else { return nil }
        return (Int(rv), String(start.dropLast(start.hasSuffix("\u{0}") ? 1 : 0)))
    }

    /// LIST with selectors and paging (09a, 09b, 11a, 11b).
    ///
    /// Later pages and Exact lists read the snapshot of their resourceVersion, rebuilt from the event history.
    func list(_ def: ResourceDefinition, namespace: String?, query: [String: String]) throws(APIError) -> JSONValue {
        let labels = try LabelSelector(query["labelSelector"])
        let fields = try FieldSelector(query["fieldSelector"])
        let limit = query["limit"].flatMap { Int($0) } ?? 0
        return try locked { () throws(APIError) -> JSONValue in
            var listRV = rv
            var start: String?
            if let token = query["continue"], !token.isEmpty {
                guard let (tokenRV, tokenStart) = Store.decodeContinue(token) else {
                    throw APIError.badRequest("continue key is not valid: illegal base64 data at input byte 0")
                }
                if tokenRV < compactedRV {
                    var e = APIError(code: 410, reason: "Expired",
                                     message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
                    e.metadata = .object(["continue": .string(Store.continueToken(rv: -1, start: tokenStart))])
                    throw e
                }
                listRV = tokenRV
                start = tokenStart
            } else if let text = query["resourceVersion"], !text.isEmpty, text != "0" {
                guard let asked = Int(text) else {
                    throw APIError.badRequest("resourceVersion: Invalid value: \"\(text)\": must be an integer")
                }
                if asked > rv {
                    var e = APIError(code: 504, reason: "Timeout",
                                     message: "Timeout: Too large resource version: \(asked), current: \(rv)",
                                     details: .object(["causes": .array([.object(["reason": .string("ResourceVersionTooLarge"),
                                                                                  "message": .string("Too large resource version")])]),
                                                       "retryAfterSeconds": .int(1)]))
                    e.headers = [("Retry-After", "1")]
                    throw e
                }
                if query["resourceVersionMatch"] == "Exact" {
                    if asked < compactedRV { throw APIError.gone }
                    listRV = asked
                }
            }
            let source = listRV < rv ? snapshot(def, at: listRV) : (objects[def.storageID] ?? [:])
            var items = source.values.map(def.fromStorage)
                .filter { namespace == nil || $0[path: "metadata", "namespace"]?.stringValue == namespace }
                .filter { labels.matches($0[path: "metadata", "labels"]?.objectValue ?? [:]) && fields.matches($0) }
                .map { (key: namespace == nil ? Store.sortKey($0) : ($0[path: "metadata", "name"]?.stringValue ?? ""), obj: $0) }
                .sorted { $0.key < $1.key }
            if let start { items = items.filter { $0.key > start } }
            var token: String?
            var remaining: Int?
            if limit > 0, items.count > limit {
                remaining = items.count - limit
                items = Array(items.prefix(limit))
                token = Store.continueToken(rv: listRV, start: items.last!.key)
            }
            return listEnvelope(def, items: items.map(\.obj), rv: listRV, continueToken: token, remaining: remaining)
        }
    }

    /// The objects of a resource as they were at revision `at` (not older than the compaction point): the current
    /// state with the later history undone. Lets continue pages and Exact lists read one consistent snapshot.
    func snapshot(_ def: ResourceDefinition, at revision: Int) -> [String: JSONValue] {
        var objs = objects[def.storageID] ?? [:]
        for e in history.reversed() where e.rv > revision && e.defID == def.storageID {
            let name = e.object[path: "metadata", "name"]?.stringValue ?? ""
            let key = Store.key(def.namespaced ? e.namespace : nil, name)
            objs[key] = e.type == "ADDED" ? nil : e.previous
        }
        return objs
    }

    /// `…List` envelope: CR lists are alphabetical with `continue: ""` and typed items; built-in lists omit empty
    /// `continue` and the items' apiVersion/kind (09a, 09b).
    func listEnvelope(_ def: ResourceDefinition, items: [JSONValue], rv: Int, continueToken: String?, remaining: Int?) -> JSONValue {
        var meta: [String: JSONValue] = ["resourceVersion": .string(String(rv))]
        if let remaining { meta["remainingItemCount"] = .int(Int64(remaining)) }
        let outItems: [JSONValue]
        if def.isCustom {
            meta["continue"] = .string(continueToken ?? "")
            outItems = items.map { typed(def, $0) }
        } else {
            if let continueToken { meta["continue"] = .string(continueToken) }
            outItems = items.map { o in var o = o; o["apiVersion"] = nil; o["kind"] = nil; return o }
        }
        return .object(["apiVersion": .string(def.apiVersion), "kind": .string(def.kind + "List"),
                        "metadata": .object(meta), "items": .array(outItems)])
    }

    /// How a watch request starts.
    enum WatchStart {
        /// Open: lines are being delivered; keep the stream until the timeout.
        case open(id: Int)
        /// The ERROR line was sent; close the stream.
        case expired
    }

    /// Opens a watch: initial events (no RV, RV=0, sendInitialEvents) or a replay from the history; 410 ERROR for an
    /// RV older than the compaction point (10a, 10b, 11a).
    func watch(_ def: ResourceDefinition, namespace: String?, query: [String: String],
               send: @escaping @Sendable ([UInt8]) -> Void) throws(APIError) -> WatchStart {
        let labels = try LabelSelector(query["labelSelector"])
        let fields = try FieldSelector(query["fieldSelector"])
        let rvText = query["resourceVersion"] ?? ""
        let sendInitial = query["sendInitialEvents"] == "true"
        let bookmarks = query["allowWatchBookmarks"] == "true"
        if !rvText.isEmpty, Int(rvText) == nil {
            throw APIError.badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be an integer")
        }
        return withLock {
            let w = Watcher(id: nextWatcherID, def: def, namespace: namespace, labels: labels, fields: fields, send: send)
            nextWatcherID += 1
            if rvText.isEmpty || rvText == "0" || sendInitial {
                let current = (objects[def.storageID] ?? [:]).values.map(def.fromStorage).filter(w.matches)
                    .sorted { Store.sortKey($0) < Store.sortKey($1) }
                for obj in current { send(watchLine("ADDED", obj, def: def)) }
                if sendInitial && bookmarks {
                    send(bookmarkLine(def, annotations: ["k8s.io/initial-events-end": .string("true")]))
                }
            } else {
                let from = Int(rvText)!
                if from < compactedRV {
                    var line = JSONWriter.bytes(.object(["type": .string("ERROR"), "object": APIError.tooOldWatch(from, compactedRV).status]),
                                                shape: KeyShapes.watchEvent(object: KeyShapes.status))
                    line.append(UInt8(ascii: "\n"))
                    send(line)
                    return .expired
                }
                w.minRV = from
                for event in history where event.rv > from && event.defID == def.storageID { deliver(event, to: w) }
            }
            watchers[w.id] = w
            return .open(id: w.id)
        }
    }

    /// Sends a BOOKMARK carrying the current resourceVersion to one watch.
    func sendBookmark(_ id: Int) {
        withLock {
            guard let w = watchers[id] else { return }
            w.send(bookmarkLine(w.def, annotations: nil))
        }
    }

    func bookmarkLine(_ def: ResourceDefinition, annotations: [String: JSONValue]?) -> [UInt8] {
        var meta: [String: JSONValue] = ["resourceVersion": .string(String(rv))]
        if let annotations { meta["annotations"] = .object(annotations) }
        return watchLine("BOOKMARK", .object(["apiVersion": .string(def.apiVersion), "kind": .string(def.kind),
                                              "metadata": .object(meta)]), def: def)
    }

    func unwatch(_ id: Int) {
        withLock { watchers[id] = nil }
    }

    /// Forgets the history: later watches from an older resourceVersion get the 410 ERROR event.
    func compact() {
        withLock {
            compactedRV = rv
            history.removeAll()
        }
    }
}
