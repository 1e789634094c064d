import Foundation

/// DeleteOptions from the query or the body (12d).
struct DeleteOptions {
    var propagationPolicy: String?
    var preconditionUID: String?
    var preconditionRV: String?
    var dryRun = false

    init(query: [String: String], body: [UInt8]) throws(APIError) {
        propagationPolicy = query["propagationPolicy"]
        dryRun = query["dryRun"] == "All"
        guard !body.isEmpty, !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) else { return }
        let obj: JSONValue
        do throws(JSONParser.Error) { obj = try JSONParser.parse(body) } catch {
            throw APIError.badRequest("couldn't get version/kind; json parse error: \(error.description)")
        }
        if let p = obj["propagationPolicy"]?.stringValue { propagationPolicy = p }
        if obj["orphanDependents"]?.boolValue == true { propagationPolicy = "Orphan" }
        preconditionUID = obj[path: "preconditions", "uid"]?.stringValue
        preconditionRV = obj[path: "preconditions", "resourceVersion"]?.stringValue
        if obj["dryRun"]?.arrayValue?.contains(.string("All")) == true { dryRun = true }
    }
}

extension Store {
    /// DELETE one object: `Status` Success when it goes at once, the object when deletion is deferred (12a, 12d, 13*).
    func delete(_ def: ResourceDefinition, namespace: String?, name: String, options: DeleteOptions) throws(APIError) -> JSONValue {
        try locked { () throws(APIError) -> JSONValue in
            guard let old = stored(def, namespace, name) else { throw APIError.notFound(def, name) }
            let uid = old[path: "metadata", "uid"]?.stringValue ?? ""
            let named = def.group.isEmpty ? def.kind : def.qualifiedKind
            if let want = options.preconditionUID, want != uid {
                throw APIError(code: 409, reason: "Conflict",
                               message: "Operation cannot be fulfilled on \(named) \"\(name)\": the UID in the precondition (\(want)) does not match the UID in record (\(uid)). The object might have been deleted and then recreated",
                               details: APIError.details(name: name, def: def, kind: def.kind))
            }
            let currentRV = old[path: "metadata", "resourceVersion"]?.stringValue ?? ""
            if let want = options.preconditionRV, want != currentRV {
                throw APIError(code: 409, reason: "Conflict",
                               message: "Operation cannot be fulfilled on \(named) \"\(name)\": the ResourceVersion in the precondition (\(want)) does not match the ResourceVersion in record (\(currentRV)). The object might have been modified",
                               details: APIError.details(name: name, def: def, kind: def.kind))
            }
            if options.dryRun { return old }
            if old[path: "metadata", "deletionTimestamp"] != nil { return old }
            return markOrRemove(def, old, policy: options.propagationPolicy ?? Store.defaultPropagation(def))
        }
    }

    /// The policy when a DELETE names none: batch/v1 Jobs keep their Pods (orphan) for backwards compatibility, as
    /// the real server does (with a warning); everything else cascades in the background.
    static func defaultPropagation(_ def: ResourceDefinition) -> String {
        def.builtIn == .job ? "Orphan" : "Background"
    }

    /// The `Warning` header the real server adds when a Job is deleted without a propagation policy.
    static let jobOrphanWarning = "299 - \"child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning\""

    /// Starts the deletion of `old` under the lock: removes it at once, or sets deletionTimestamp when finalizers
    /// (its own, `foregroundDeletion`, `orphan`) or namespace termination defer it.
    @discardableResult
    func markOrRemove(_ def: ResourceDefinition, _ old: JSONValue, policy: String?) -> JSONValue {
        var new = old
        let now = KubeTime.seconds()
        if def.builtIn == .namespace {
            new["metadata"]?["deletionTimestamp"] = .string(now)
            new["status"] = .object(["phase": .string("Terminating")])
        } else {
            var finalizers = (old[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
            if policy == "Foreground", !finalizers.contains("foregroundDeletion") { finalizers.append("foregroundDeletion") }
            if policy == "Orphan", !finalizers.contains("orphan") { finalizers.append("orphan") }
            if finalizers.isEmpty {
                finishDeletion(def, old)
                return Store.successStatus(def, old)
            }
            new["metadata"]?["finalizers"] = .array(finalizers.map(JSONValue.string))
            new["metadata"]?["deletionTimestamp"] = .string(now)
            new["metadata"]?["deletionGracePeriodSeconds"] = .int(0)
            if def.hasGeneration {
                new["metadata"]?["generation"] = .int((old[path: "metadata", "generation"]?.intValue ?? 0) + 1)
            }
        }
        let rv = nextRV()
        new["metadata"]?["resourceVersion"] = .string(String(rv))
        put(def, new)
        emit(def, "MODIFIED", new, previous: old, rv: rv)
        scheduleGarbageCollection()
        return new
    }

    static func successStatus(_ def: ResourceDefinition, _ obj: JSONValue) -> JSONValue {
        var details: [String: JSONValue] = ["name": obj[path: "metadata", "name"] ?? .string(""),
                                            "kind": .string(def.plural), "uid": obj[path: "metadata", "uid"] ?? .string("")]
        if !def.group.isEmpty { details["group"] = .string(def.group) }
        return .object(["kind": .string("Status"), "apiVersion": .string("v1"), "metadata": .object([:]),
                        "status": .string("Success"), "details": .object(details)])
    }

    /// DELETE on a collection: deletes every match and answers with a List of them (21b).
    func deleteCollection(_ def: ResourceDefinition, namespace: String?, query: [String: String],
                          options: DeleteOptions) throws(APIError) -> JSONValue {
        let labels = try LabelSelector(query["labelSelector"])
        let fields = try FieldSelector(query["fieldSelector"])
        return try locked { () throws(APIError) -> JSONValue in
            let matches = (objects[def.storageID] ?? [:]).values.map(def.fromStorage)
                .filter { namespace == nil || $0[path: "metadata", "namespace"]?.stringValue == namespace }
                .filter { labels.matches($0[path: "metadata", "labels"]?.objectValue ?? [:]) && fields.matches($0) }
                .sorted { Store.sortKey($0) < Store.sortKey($1) }
            if !options.dryRun {
                for obj in matches where obj[path: "metadata", "deletionTimestamp"] == nil {
                    markOrRemove(def, obj, policy: options.propagationPolicy ?? Store.defaultPropagation(def))
                }
            }
            return listEnvelope(def, items: matches, rv: rv, continueToken: nil, remaining: nil)
        }
    }

    // MARK: - Garbage collector and namespace controller

    /// Schedules a garbage-collector pass (called under the lock). Requests made while a pass is pending share it:
    /// the pass looks at every object when it runs, so one per delay is enough, and a pass per write made creating
    /// N owned objects cost N passes over every object (quadratic: 2,000 CronJobs took the server minutes).
    func scheduleGarbageCollection() {
        guard !garbageCollectionScheduled else { return }
        garbageCollectionScheduled = true
        schedule(options.garbageCollectionDelay) { [self] in
            withLock {
                garbageCollectionScheduled = false
                garbageCollectionPasses += 1
                collectGarbage()
            }
        }
    }

    /// One pass of the garbage collector, repeated until nothing changes (called under the lock).
    func collectGarbage() {
        var changed = true
        var rounds = 0
        while changed && rounds < 100 {
            changed = false
            rounds += 1
            let all = allObjects
            var uids: Set<String> = []
            for (_, o) in all { if let u = o[path: "metadata", "uid"]?.stringValue { uids.insert(u) } }
            let resolvable = Set(definitions.values.map { "\($0.apiVersion)/\($0.kind)" })
            func refs(_ o: JSONValue) -> [JSONValue] { o[path: "metadata", "ownerReferences"]?.arrayValue ?? [] }
            func isDeleting(_ o: JSONValue) -> Bool { o[path: "metadata", "deletionTimestamp"] != nil }

            for (def, obj) in all {
                let r = refs(obj)
                guard !r.isEmpty else { continue }
                let live = r.filter { ref in
                    let known = resolvable.contains("\(ref["apiVersion"]?.stringValue ?? "")/\(ref["kind"]?.stringValue ?? "")")
                    return !known || uids.contains(ref["uid"]?.stringValue ?? "")
                }
                if live.isEmpty {
                    if !isDeleting(obj) { markOrRemove(def, obj, policy: "Background"); changed = true }
                } else if live.count < r.count {
                    var new = obj
                    new["metadata"]?["ownerReferences"] = .array(live)
                    gcWrite(def, old: obj, new: new)
                    changed = true
                }
            }
            if changed { continue }

            for (def, owner) in all where isDeleting(owner) {
                let finalizers = (owner[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
                let uid = owner[path: "metadata", "uid"]?.stringValue ?? ""
                let dependents = all.filter { _, o in refs(o).contains { $0["uid"]?.stringValue == uid } }
                if finalizers.contains("foregroundDeletion") {
                    for (dDef, dep) in dependents where !isDeleting(dep) {
                        markOrRemove(dDef, dep, policy: "Foreground"); changed = true
                    }
                    let blocking = dependents.filter { _, o in
                        refs(o).contains { $0["uid"]?.stringValue == uid && $0["blockOwnerDeletion"]?.boolValue == true }
                    }
                    if blocking.isEmpty { removeFinalizer("foregroundDeletion", def, owner); changed = true }
                } else if finalizers.contains("orphan") {
                    for (dDef, dep) in dependents {
                        var new = dep
                        let kept = refs(dep).filter { $0["uid"]?.stringValue != uid }
                        new["metadata"]?["ownerReferences"] = kept.isEmpty ? nil : .array(kept)
                        gcWrite(dDef, old: dep, new: new)
                    }
                    removeFinalizer("orphan", def, owner)
                    changed = true
                } else if def.builtIn == .namespace {
                    let name = owner[path: "metadata", "name"]?.stringValue ?? ""
                    let content = all.filter { d, o in d.namespaced && o[path: "metadata", "namespace"]?.stringValue == name }
                    for (cDef, o) in content where !isDeleting(o) { markOrRemove(cDef, o, policy: "Background"); changed = true }
                    if content.isEmpty {
                        finishDeletion(def, owner)
                        changed = true
                    } else if !changed {
                        changed = reportRemainingContent(def, owner, content: content)
                    }
                }
                if changed { break }
            }
        }
    }

    /// The namespace controller's status conditions while content with finalizers holds the namespace (22b).
    /// Returns whether the namespace was written.
    private func reportRemainingContent(_ def: ResourceDefinition, _ ns: JSONValue, content: [(ResourceDefinition, JSONValue)]) -> Bool {
        var counts: [String: Int] = [:]
        var finalizers: [String: Int] = [:]
        for (d, o) in content {
            counts[d.qualifiedResource, default: 0] += 1
            for f in (o[path: "metadata", "finalizers"]?.arrayValue ?? []).compactMap(\.stringValue) { finalizers[f, default: 0] += 1 }
        }
        let now = KubeTime.seconds()
        let existing = ns[path: "status", "conditions"]?.arrayValue ?? []
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            let previous = existing.first { $0["type"] == .string(type) }
            let since = previous?["status"] == .string(status) ? (previous?["lastTransitionTime"] ?? .string(now)) : .string(now)
            return ["type": .string(type), "status": .string(status), "lastTransitionTime": since,
                    "reason": .string(reason), "message": .string(message)]
        }
        let remaining = counts.sorted { $0.key < $1.key }.map { "\($0.key) has \($0.value) resource instances" }
        let held = finalizers.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value) resource instances" }
        var conditions: [JSONValue] = [
            condition("NamespaceDeletionDiscoveryFailure", "False", "ResourcesDiscovered", "All resources successfully discovered"),
            condition("NamespaceDeletionGroupVersionParsingFailure", "False", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
            condition("NamespaceDeletionContentFailure", "False", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
            condition("NamespaceContentRemaining", "True", "SomeResourcesRemain", "Some resources are remaining: " + remaining.joined(separator: ", ")),
        ]
        conditions.append(held.isEmpty
            ? condition("NamespaceFinalizersRemaining", "False", "ContentHasNoFinalizers", "All content-preserving finalizers finished")
            : condition("NamespaceFinalizersRemaining", "True", "SomeFinalizersRemain",
                        "Some content in the namespace has finalizers remaining: " + held.joined(separator: ", ")))
        let strip: (JSONValue) -> JSONValue = { c in var c = c; c["lastTransitionTime"] = nil; return c }
        if existing.map(strip) == conditions.map(strip) { return false }
        var new = ns
        new["status"]?["conditions"] = .array(conditions)
        gcWrite(def, old: ns, new: new)
        return true
    }

    private func gcWrite(_ def: ResourceDefinition, old: JSONValue, new: JSONValue) {
        var new = new
        let rv = nextRV()
        new["metadata"]?["resourceVersion"] = .string(String(rv))
        put(def, new)
        emit(def, "MODIFIED", new, previous: old, rv: rv)
    }

    private func removeFinalizer(_ finalizer: String, _ def: ResourceDefinition, _ obj: JSONValue) {
        let rest = (obj[path: "metadata", "finalizers"]?.arrayValue ?? []).filter { $0.stringValue != finalizer }
        if rest.isEmpty {
            finishDeletion(def, obj)
        } else {
            var new = obj
            new["metadata"]?["finalizers"] = .array(rest)
            gcWrite(def, old: obj, new: new)
        }
    }
}
