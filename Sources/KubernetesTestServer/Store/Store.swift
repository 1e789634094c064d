import Foundation

/// One change as a watch sees it.
struct StoredEvent {
    let rv: Int
    let defID: String
    let namespace: String?
    let type: String
    let object: JSONValue
    let previous: JSONValue?
}

/// The in-memory "etcd plus API server logic": objects by resource, a global revision counter, the event history
/// watches replay from, and the open watches. Every public operation takes the lock, so watch lines are handed to
/// the connections in revision order.
final class Store: @unchecked Sendable {
    let lock = NSLock()
    let options: KubernetesTestServer.Options
    /// Runs a closure after a delay (the server's event loop); used by the garbage collector.
    let schedule: @Sendable (Double, @escaping @Sendable () -> Void) -> Void

    var definitions: [String: ResourceDefinition] = [:]
    var objects: [String: [String: JSONValue]] = [:]
    var rv = 100
    var compactedRV = 100
    var history: [StoredEvent] = []
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 1
    var requestLog: [RecordedRequest] = []
    /// Whether a garbage-collector pass is scheduled and has not run yet.
    var garbageCollectionScheduled = false
    /// Garbage-collector passes run so far (for tests).
    var garbageCollectionPasses = 0
    /// The bearer token requests must carry (nil: no authentication); starts from the options, can rotate.
    var bearerToken: String?

    init(options: KubernetesTestServer.Options, schedule: @escaping @Sendable (Double, @escaping @Sendable () -> Void) -> Void) {
        self.options = options
        self.schedule = schedule
        self.bearerToken = options.bearerToken
        for def in BuiltInKind.all { definitions[def.id] = def }
        for ns in ["default", "kube-system", "kube-public"] { createNamespaceAtStart(ns) }
        compactedRV = rv
    }

    func locked<T>(_ body: () throws(APIError) -> T) throws(APIError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    func withLock<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    // MARK: - Lookup

    func definition(group: String, version: String, plural: String) -> ResourceDefinition? {
        withLock { definitions["\(group)/\(version)/\(plural)"] }
    }

    func register(_ def: ResourceDefinition) {
        withLock { definitions[def.id] = def }
    }

    var namespaceDef: ResourceDefinition { definitions["/v1/namespaces"]! }

    static func key(_ ns: String?, _ name: String) -> String { "\(ns ?? "")/\(name)" }

    func stored(_ def: ResourceDefinition, _ ns: String?, _ name: String) -> JSONValue? {
        objects[def.storageID]?[Store.key(def.namespaced ? ns : nil, name)].map(def.fromStorage)
    }

    func namespaceObject(_ ns: String) -> JSONValue? { objects[namespaceDef.id]?[Store.key(nil, ns)] }

    /// Every stored object of every resource (for the garbage collector).
    var allObjects: [(ResourceDefinition, JSONValue)] {
        objects.flatMap { id, objs in objs.values.map { (definitions[id]!, $0) } }
    }

    // MARK: - Writes

    func nextRV() -> Int {
        rv += 1
        return rv
    }

    func put(_ def: ResourceDefinition, _ obj: JSONValue) {
        let ns = def.namespaced ? obj[path: "metadata", "namespace"]?.stringValue : nil
        objects[def.storageID, default: [:]][Store.key(ns, obj[path: "metadata", "name"]?.stringValue ?? "")] = def.toStorage(obj)
    }

    func removeStored(_ def: ResourceDefinition, _ obj: JSONValue) {
        let ns = def.namespaced ? obj[path: "metadata", "namespace"]?.stringValue : nil
        objects[def.storageID]?[Store.key(ns, obj[path: "metadata", "name"]?.stringValue ?? "")] = nil
    }

    /// Records an event and hands it to every matching watch.
    func emit(_ def: ResourceDefinition, _ type: String, _ obj: JSONValue, previous: JSONValue?, rv: Int) {
        let event = StoredEvent(rv: rv, defID: def.storageID, namespace: obj[path: "metadata", "namespace"]?.stringValue,
                                type: type, object: def.toStorage(obj), previous: previous.map(def.toStorage))
        history.append(event)
        if let limit = options.watchHistoryLimit, history.count > max(limit, 1) {
            let dropped = history.count - max(limit, 1)
            compactedRV = history[dropped - 1].rv
            history.removeFirst(dropped)
        }
        for w in watchers.values where w.def.storageID == def.storageID { deliver(event, to: w) }
    }

    /// Sends one event to a watch, translating MODIFIED into ADDED/DELETED when the object enters or leaves the
    /// watch's selector, as the real watch cache does.
    func deliver(_ event: StoredEvent, to w: Watcher) {
        guard event.rv > w.minRV else { return }
        let object = w.def.fromStorage(event.object)
        let now = w.matches(object)
        var type = event.type
        if event.type == "MODIFIED" {
            let before = event.previous.map { w.matches(w.def.fromStorage($0)) } ?? false
            switch (before, now) {
            case (true, true): type = "MODIFIED"
            case (false, true): type = "ADDED"
            case (true, false): type = "DELETED"
            case (false, false): return
            }
        } else if !now {
            return
        }
        w.send(watchLine(type, object, def: w.def))
    }

    func watchLine(_ type: String, _ obj: JSONValue, def: ResourceDefinition) -> [UInt8] {
        var bytes = JSONWriter.bytes(.object(["type": .string(type), "object": obj]),
                                     shape: KeyShapes.watchEvent(object: def.objectShape))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// The object with `apiVersion` and `kind` set for this resource.
    func typed(_ def: ResourceDefinition, _ obj: JSONValue) -> JSONValue {
        var o = obj
        o["apiVersion"] = .string(def.apiVersion)
        o["kind"] = .string(def.kind)
        return o
    }

    private func createNamespaceAtStart(_ name: String) {
        let def = namespaceDef
        var obj: JSONValue = .object(["apiVersion": .string("v1"), "kind": .string("Namespace"),
                                      "metadata": .object(["name": .string(name)])])
        let uid = UUID().uuidString.lowercased()
        BuiltInKind.namespace.applyDefaults(&obj, uid: uid)
        obj["metadata"]?["uid"] = .string(uid)
        obj["metadata"]?["creationTimestamp"] = .string(KubeTime.seconds())
        obj["metadata"]?["resourceVersion"] = .string(String(nextRV()))
        put(def, obj)
    }
}
