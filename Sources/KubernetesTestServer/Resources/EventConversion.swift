/// events.k8s.io/v1 Events are a view of the core/v1 Events (one storage, as in the real server, sample 17a #4):
/// stored in the core shape, converted on the way in and out.
enum EventConversion {
    /// events.k8s.io/v1 field → core/v1 field.
    static let renames: [(v1: String, core: String)] = [
        ("note", "message"), ("regarding", "involvedObject"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func toCore(_ v1: JSONValue) -> JSONValue {
        var o = v1
        for (from, to) in renames where o[from] != nil {
            o[to] = o[from]
            o[from] = nil
        }
        o["apiVersion"] = "v1"
        return o
    }

    static func fromCore(_ core: JSONValue) -> JSONValue {
        var o = core
        for (to, from) in renames where o[from] != nil {
            o[to] = o[from]
            o[from] = nil
        }
        if o["reportingController"] == .string("") { o["reportingController"] = nil }
        o["apiVersion"] = "events.k8s.io/v1"
        return o
    }
}

extension ResourceDefinition {
    /// Where objects of this resource are stored; events.k8s.io/v1 Events share the core Events' storage.
    var storageID: String { builtIn == .eventsV1Event ? "/v1/events" : id }

    /// The stored (core) form of an object written through this resource.
    func toStorage(_ obj: JSONValue) -> JSONValue { builtIn == .eventsV1Event ? EventConversion.toCore(obj) : obj }

    /// This resource's view of a stored object.
    func fromStorage(_ obj: JSONValue) -> JSONValue { builtIn == .eventsV1Event ? EventConversion.fromCore(obj) : obj }
}
