import Foundation

/// What the HTTP layer should do with a request.
enum RouteResult {
    /// A complete answer.
    case response(status: Int, headers: [(String, String)], body: [UInt8])
    /// A watch: start streaming lines.
    case watch(def: ResourceDefinition, namespace: String?, query: [String: String])
}

extension RouteResult {
    /// The HTTP status (200 for a watch).
    var statusCode: Int {
        if case .response(let status, _, _) = self { return status }
        return 200
    }
}

/// Maps Kubernetes REST paths to store operations and serializes the answers.
struct Router: Sendable {
    let store: Store

    static func parseQuery(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            out[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return out
    }

    static func decode(_ s: Substring) -> String {
        String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s)
    }

    static func notFoundPage() -> RouteResult {
        .response(status: 404, headers: [("Content-Type", "text/plain; charset=utf-8"), ("X-Content-Type-Options", "nosniff")],
                  body: Array("404 page not found\n".utf8))
    }

    static func json(_ status: Int, _ value: JSONValue, shape: KeyShape?, headers: [(String, String)] = []) -> RouteResult {
        var body = JSONWriter.bytes(value, shape: shape)
        body.append(UInt8(ascii: "\n"))
        return .response(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    static func error(_ e: APIError) -> RouteResult {
        json(e.code, e.status, shape: KeyShapes.status, headers: e.headers)
    }

    /// The key order for an answer: Status, a list envelope, or an object of `def`.
    static func shape(for value: JSONValue, def: ResourceDefinition) -> KeyShape? {
        if value["kind"]?.stringValue == "Status" { return KeyShapes.status }
        if value["items"] != nil, value["kind"]?.stringValue == def.kind + "List" {
            return def.isCustom ? nil : KeyShapes.list(item: def.objectShape)
        }
        return def.objectShape
    }

    func route(method: String, uri: String, headers: [String: String], body: [UInt8],
               clientCertificate: Bool = false) -> RouteResult {
        let pathPart = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(pathPart[0])
        let query = pathPart.count > 1 ? Router.parseQuery(pathPart[1]) : [:]
        store.withLock {
            store.requestLog.append(RecordedRequest(method: method, path: path, query: query, headers: headers, body: body))
        }
        let segments = path.split(separator: "/").map(String.init)
        let group: String, version: String, rest: [String]
        if segments.count >= 2, segments[0] == "api" {
            (group, version, rest) = ("", segments[1], Array(segments.dropFirst(2)))
        } else if segments.count >= 3, segments[0] == "apis" {
            (group, version, rest) = (segments[1], segments[2], Array(segments.dropFirst(3)))
        } else {
            return Router.notFoundPage()
        }
        guard !rest.isEmpty else { return Router.notFoundPage() }

        var namespace: String?
        var resourcePath = rest
        if rest[0] == "namespaces", rest.count >= 3, rest[2] != "status", rest[2] != "finalize" {
            namespace = rest[1]
            resourcePath = Array(rest.dropFirst(2))
        }
        guard let def = store.definition(group: group, version: version, plural: resourcePath[0]),
              resourcePath.count <= 3 else { return Router.notFoundPage() }
        if !def.namespaced && namespace != nil { return Router.notFoundPage() }
        if def.namespaced && namespace == nil && (resourcePath.count > 1 || method != "GET") { return Router.notFoundPage() }
        let name = resourcePath.count > 1 ? resourcePath[1] : nil
        let subresource = resourcePath.count > 2 ? resourcePath[2] : nil
        if let subresource, subresource != "status" || !def.hasStatusSubresource { return Router.notFoundPage() }

        if !clientCertificate,
           let failure = authorize(def, method: method, namespace: namespace, name: name, query: query, headers: headers) {
            return Router.error(failure)
        }
        if let accept = headers["accept"], !accept.isEmpty, !Router.acceptsJSON(accept) {
            return Router.error(APIError(code: 406, reason: "NotAcceptable",
                                         message: "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"))
        }
        let userAgent = headers["user-agent"] ?? ""
        let defaultManager = userAgent.split(separator: "/", maxSplits: 1).first.map(String.init) ?? "unknown"
        let ctx = WriteContext(namespace: namespace, name: name, subresource: subresource,
                               manager: query["fieldManager"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultManager,
                               dryRun: query["dryRun"] == "All", query: query)
        do throws(APIError) {
            switch (method, name) {
            case ("GET", nil):
                if query["watch"] == "1" || query["watch"] == "true" {
                    return .watch(def: def, namespace: namespace, query: query)
                }
                let list = try store.list(def, namespace: namespace, query: query)
                return Router.json(200, list, shape: Router.shape(for: list, def: def))
            case ("POST", nil):
                if let failure = Router.checkContentType(headers) { return Router.error(failure) }
                let obj = try store.create(def, body: body, ctx: ctx)
                return Router.json(201, obj, shape: def.objectShape, headers: ctx.warnings.headers)
            case ("DELETE", nil):
                let list = try store.deleteCollection(def, namespace: namespace, query: query,
                                                      options: try DeleteOptions(query: query, body: body))
                return Router.json(200, list, shape: Router.shape(for: list, def: def))
            case ("GET", let name?):
                let obj = try store.get(def, namespace: namespace, name: name)
                return Router.json(200, obj, shape: def.objectShape)
            case ("PUT", _):
                if let failure = Router.checkContentType(headers) { return Router.error(failure) }
                let obj = try store.replace(def, body: body, ctx: ctx)
                return Router.json(200, obj, shape: def.objectShape, headers: ctx.warnings.headers)
            case ("PATCH", _):
                let (status, obj) = try store.patch(def, contentType: headers["content-type"] ?? "", body: body, ctx: ctx)
                return Router.json(status, obj, shape: def.objectShape, headers: ctx.warnings.headers)
            case ("DELETE", let name?):
                guard subresource == nil else { return Router.notFoundPage() }
                let options = try DeleteOptions(query: query, body: body)
                let result = try store.delete(def, namespace: namespace, name: name, options: options)
                let warning = def.builtIn == .job && options.propagationPolicy == nil
                    ? [("Warning", Store.jobOrphanWarning)] : []
                return Router.json(200, result, shape: Router.shape(for: result, def: def), headers: warning)
            default:
                return Router.error(APIError(code: 405, reason: "MethodNotAllowed",
                                             message: "the server does not allow this method on the requested resource"))
            }
        } catch {
            return Router.error(error)
        }
    }

    static func acceptsJSON(_ accept: String) -> Bool {
        accept.split(separator: ",").contains { part in
            let media = part.split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? ""
            return media == "application/json" || media == "*/*" || media == "application/*"
        }
    }

    static func checkContentType(_ headers: [String: String]) -> APIError? {
        guard let ct = headers["content-type"], !ct.isEmpty else { return nil }
        let media = ct.split(separator: ";").first.map { String($0).trimmed.lowercased() } ?? ""
        if media == "application/json" { return nil }
        return APIError.unsupportedMediaType("application/json, application/yaml, application/vnd.kubernetes.protobuf")
    }

    /// Bearer-token check (sample 18): no credentials → 403 for `system:anonymous`; a wrong token → 401.
    func authorize(_ def: ResourceDefinition, method: String, namespace: String?, name: String?,
                   query: [String: String], headers: [String: String]) -> APIError? {
        guard let token = store.withLock({ store.bearerToken }) else { return nil }
        guard let auth = headers["authorization"], !auth.isEmpty else {
            let verb: String
            switch (method, name) {
            case ("GET", nil): verb = (query["watch"] == "1" || query["watch"] == "true") ? "watch" : "list"
            case ("GET", _): verb = "get"
            case ("POST", _): verb = "create"
            case ("PUT", _): verb = "update"
            case ("PATCH", _): verb = "patch"
            case ("DELETE", nil): verb = "deletecollection"
            default: verb = "delete"
            }
            return APIError.forbidden(def, name: name, verb: verb, user: "system:anonymous", namespace: namespace)
        }
        return auth == "Bearer \(token)" ? nil : APIError.unauthorized
    }
}
