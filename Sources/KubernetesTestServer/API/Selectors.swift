import Foundation

/// A parsed label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`), as in sample 09b.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String), notEquals(String, String), isIn(String, Set<String>), notIn(String, Set<String>)
        case exists(String), notExists(String)
    }

    var requirements: [Requirement] = []

    /// Parses the query parameter; nil input means "everything".
    init(_ text: String?) throws(APIError) {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        // Split on commas outside parentheses.
        var parts: [String] = []
        var depth = 0
        var current = ""
        for ch in text {
            if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        for raw in parts {
            let p = raw.trimmingCharacters(in: .whitespaces)
            if let r = p.range(of: " notin ") {
                requirements.append(.notIn(String(p[..<r.lowerBound]).trimmed, try Self.set(String(p[r.upperBound...]), text)))
            } else if let r = p.range(of: " in ") {
                requirements.append(.isIn(String(p[..<r.lowerBound]).trimmed, try Self.set(String(p[r.upperBound...]), text)))
            } else if let r = p.range(of: "!=") {
                requirements.append(.notEquals(String(p[..<r.lowerBound]).trimmed, String(p[r.upperBound...]).trimmed))
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                requirements.append(.equals(String(p[..<r.lowerBound]).trimmed, String(p[r.upperBound...]).trimmed))
            } else if p.hasPrefix("!") {
                requirements.append(.notExists(String(p.dropFirst()).trimmed))
            } else if !p.isEmpty, !p.contains(" ") {
                requirements.append(.exists(p))
            } else {
                throw APIError.badRequest("unable to parse requirement: \(p)")
            }
        }
    }

    private static func set(_ s: String, _ whole: String) throws(APIError) -> Set<String> {
        let t = s.trimmed
        guard t.hasPrefix("("), t.hasSuffix(")") else {
            throw APIError.badRequest("unable to parse requirement: found '\(t)', expected: '('")
        }
        return Set(t.dropFirst().dropLast().split(separator: ",").map { String($0).trimmed })
    }

    func matches(_ labels: [String: JSONValue]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case .equals(let k, let v): return labels[k]?.stringValue == v
            case .notEquals(let k, let v): return labels[k]?.stringValue != v
            case .isIn(let k, let vs): return labels[k]?.stringValue.map(vs.contains) ?? false
            case .notIn(let k, let vs): return !(labels[k]?.stringValue.map(vs.contains) ?? false)
            case .exists(let k): return labels[k] != nil
            case .notExists(let k): return labels[k] == nil
            }
        }
    }
}

/// A field selector limited to `metadata.name` and `metadata.namespace` (`=`, `==`, `!=`), else 400 (09b).
struct FieldSelector: Sendable {
    var requirements: [(field: String, value: String, equal: Bool)] = []

    init(_ text: String?) throws(APIError) {
        guard let text, !text.isEmpty else { return }
        for raw in text.split(separator: ",") {
            let p = String(raw)
            let (field, value, equal): (String, String, Bool)
            if let r = p.range(of: "!=") {
                (field, value, equal) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), false)
            } else if let r = p.range(of: "==") ?? p.range(of: "=") {
                (field, value, equal) = (String(p[..<r.lowerBound]), String(p[r.upperBound...]), true)
            } else {
                throw APIError.badRequest("invalid selector: '\(p)'; can't understand '\(p)'")
            }
            guard field == "metadata.name" || field == "metadata.namespace" else {
                throw APIError.badRequest("field label not supported: \(field)")
            }
            requirements.append((field, value, equal))
        }
    }

    func matches(_ obj: JSONValue) -> Bool {
        requirements.allSatisfy { r in
            let actual = obj[path: "metadata", r.field == "metadata.name" ? "name" : "namespace"]?.stringValue ?? ""
            return (actual == r.value) == r.equal
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
