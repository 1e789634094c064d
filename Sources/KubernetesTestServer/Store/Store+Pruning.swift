import Foundation

/// Warnings collected while serving one request, sent as `Warning: 299 - "…"` headers.
final class WarningSink: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []

    func add(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        items.append(text)
    }

    var headers: [(String, String)] {
        lock.lock(); defer { lock.unlock() }
        return items.map { ("Warning", "299 - \"\($0.replacingOccurrences(of: "\"", with: "\\\""))\"") }
    }
}

extension Store {
    /// Drops fields the registered schema does not know, following `fieldValidation` (08b): no parameter or `Warn`
    /// prunes and warns once per field, `Ignore` prunes silently, `Strict` answers 400.
    func pruneUnknownFields(_ def: ResourceDefinition, _ obj: inout JSONValue, ctx: WriteContext) throws(APIError) {
        guard let known = def.knownFields else { return }
        var unknown: [String] = []
        for (key, value) in obj.objectValue ?? [:] where !["apiVersion", "kind", "metadata"].contains(key) {
            guard let sub = known[key] else { unknown.append(key); obj[key] = nil; continue }
            var v = value
            Store.prune(&v, known: sub, path: key, unknown: &unknown)
            obj[key] = v
        }
        guard !unknown.isEmpty else { return }
        unknown.sort(by: JSONWriter.goLess)
        switch ctx.query["fieldValidation"] {
        case "Ignore":
            return
        case "Strict":
            let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
            throw APIError.badRequest("\(def.kind) in version \"\(def.version)\" cannot be handled as a \(def.kind): strict decoding error: \(list)")
        default:
            for field in unknown { ctx.warnings.add("unknown field \"\(field)\"") }
        }
    }

    /// `known` is `true` (anything below is kept) or an object of the allowed keys; arrays apply it to each element.
    static func prune(_ value: inout JSONValue, known: JSONValue, path: String, unknown: inout [String]) {
        guard case .object(let allowed) = known else { return }
        switch value {
        case .object(var o):
            for (k, v) in o {
                guard let sub = allowed[k] else { unknown.append("\(path).\(k)"); o[k] = nil; continue }
                var child = v
                prune(&child, known: sub, path: "\(path).\(k)", unknown: &unknown)
                o[k] = child
            }
            value = .object(o)
        case .array(let a):
            value = .array(a.enumerated().map { i, e in
                var e = e
                prune(&e, known: known, path: "\(path)[\(i)]", unknown: &unknown)
                return e
            })
        default:
            break
        }
    }
}
