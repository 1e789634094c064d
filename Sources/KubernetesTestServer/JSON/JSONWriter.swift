/// The key order of one JSON object and of the objects nested in it.
///
/// Built-in Kubernetes types are serialized by Go in struct field order; custom resources go through unstructured
/// maps and come out alphabetically. A `nil` shape means "alphabetical all the way down".
final class KeyShape: Sendable {
    /// Keys in this order first; any other keys follow alphabetically.
    let order: [String]
    /// Shapes of the values under some keys (objects, or the elements of arrays).
    let children: [String: KeyShape]

    init(_ order: [String], _ children: [String: KeyShape] = [:]) {
        self.order = order
        self.children = children
    }
}

/// Serializes ``JSONValue`` the way Go's `encoding/json` does for the API server: compact, `<`, `>` and `&` escaped
/// as `\u003c`, `\u003e`, `\u0026`, integers without fraction.
enum JSONWriter {
    static func string(_ value: JSONValue, shape: KeyShape?) -> String {
        var out: [UInt8] = []
        write(value, shape: shape, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(_ value: JSONValue, shape: KeyShape?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        write(value, shape: shape, into: &out)
        return out
    }

    static func write(_ value: JSONValue, shape: KeyShape?, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: Array("null".utf8))
        case .bool(let b): out.append(contentsOf: Array((b ? "true" : "false").utf8))
        case .int(let i): out.append(contentsOf: Array(String(i).utf8))
        case .double(let d): out.append(contentsOf: Array(formatDouble(d).utf8))
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                write(e, shape: shape, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for key in orderedKeys(o, shape: shape) {
                guard let v = o[key] else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(v, shape: shape?.children[key], into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func orderedKeys(_ o: [String: JSONValue], shape: KeyShape?) -> [String] {
        guard let shape else { return o.keys.sorted(by: goLess) }
        var keys = shape.order.filter { o[$0] != nil }
        let known = Set(shape.order)
        keys.append(contentsOf: o.keys.filter { !known.contains($0) }.sorted(by: goLess))
        return keys
    }

    /// Go sorts map keys by byte order.
    static func goLess(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    static func formatDouble(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e21 { return String(Int64(d)) }
        return "\(d)"
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: [0x5C, 0x22])
            case "\\": out.append(contentsOf: [0x5C, 0x5C])
            case "\n": out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case "\r": out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case "\t": out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                let v = scalar.value
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), hex[Int(v >> 12) & 15], hex[Int(v >> 8) & 15],
                                        hex[Int(v >> 4) & 15], hex[Int(v) & 15]])
            default:
                if scalar.value < 0x20 {
                    let v = scalar.value
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(v >> 4) & 15], hex[Int(v) & 15]])
                } else {
                    out.append(contentsOf: Array(String(scalar).utf8))
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
