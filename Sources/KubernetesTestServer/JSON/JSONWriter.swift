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
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): out.append(contentsOf: formatDouble(d).utf8)
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
    static func goLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    static func formatDouble(_ d: Double) -> String {
        if d.rounded() == d, abs(d) < 1e21 { return String(Int64(d)) }
        return "\(d)"
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Writes `s` quoted, walking its UTF-8 bytes: bytes that need no escape are copied as they are (a per-character
    /// `String` made the server spend a quarter of its time here at a thousand policies).
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let bytes = s.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
            case UInt8(ascii: "\n"): out.append(0x5C); out.append(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): out.append(0x5C); out.append(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): out.append(0x5C); out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                appendEscape(UInt32(byte), into: &out)
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8, E2 80 A9) are escaped like Go does; any other sequence is copied.
                let second = bytes.index(after: index)
                if second != bytes.endIndex, bytes[second] == 0x80 {
                    let third = bytes.index(after: second)
                    if third != bytes.endIndex, bytes[third] == 0xA8 || bytes[third] == 0xA9 {
                        appendEscape(bytes[third] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                        index = bytes.index(after: third)
                        continue
                    }
                }
                out.append(byte)
            default:
                if byte < 0x20 { appendEscape(UInt32(byte), into: &out) } else { out.append(byte) }
            }
            index = bytes.index(after: index)
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ value: UInt32, into out: inout [UInt8]) {
        out.append(0x5C)
        out.append(UInt8(ascii: "u"))
        out.append(hex[Int(value >> 12) & 15])
        out.append(hex[Int(value >> 8) & 15])
        out.append(hex[Int(value >> 4) & 15])
        out.append(hex[Int(value) & 15])
    }
}
