/// A strict RFC 8259 JSON parser producing ``JSONValue``.
///
/// Its error messages follow Go's `encoding/json` wording where the API server passes them on ("unexpected end of
/// JSON input"), because clients may show them to people.
public struct JSONParser {
    /// Why a document could not be parsed.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        /// Go-style wording, e.g. "unexpected end of JSON input".
        public let description: String
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses a whole document; trailing non-whitespace is an error.
    public static func parse(_ bytes: [UInt8]) throws(Error) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.index != bytes.count {
            throw Error(description: "invalid character '\(Character(Unicode.Scalar(bytes[parser.index])))' after top-level value")
        }
        return value
    }

    /// Parses UTF-8 text.
    public static func parse(_ text: String) throws(Error) -> JSONValue { try parse(Array(text.utf8)) }

    private mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private func unexpected() -> Error {
        if index >= bytes.count { return Error(description: "unexpected end of JSON input") }
        return Error(description: "invalid character '\(Character(Unicode.Scalar(bytes[index])))' looking for beginning of value")
    }

    private mutating func parseValue(depth: Int) throws(Error) -> JSONValue {
        guard depth < 512 else { throw Error(description: "exceeded max depth") }
        guard index < bytes.count else { throw unexpected() }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw unexpected()
        }
    }

    private mutating func literal(_ word: String) throws(Error) {
        for b in word.utf8 {
            guard index < bytes.count else { throw unexpected() }
            guard bytes[index] == b else { throw Error(description: "invalid character in literal \(word)") }
            index += 1
        }
    }

    private mutating func parseObject(depth: Int) throws(Error) -> JSONValue {
        index += 1
        var out: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(out) }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw unexpected() }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw Error(description: "invalid character looking for beginning of object key string")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count else { throw unexpected() }
            guard bytes[index] == UInt8(ascii: ":") else { throw Error(description: "invalid character after object key") }
            index += 1
            skipWhitespace()
            out[key] = try parseValue(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw unexpected() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(out) }
            throw Error(description: "invalid character after object key:value pair")
        }
    }

    private mutating func parseArray(depth: Int) throws(Error) -> JSONValue {
        index += 1
        var out: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(out) }
        while true {
            skipWhitespace()
            out.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw unexpected() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(out) }
            throw Error(description: "invalid character after array element")
        }
    }

    private mutating func parseString() throws(Error) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            if !raw.isEmpty { scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars); raw.removeAll() }
        }
        while true {
            guard index < bytes.count else { throw unexpected() }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { index += 1; break }
            if b < 0x20 { throw Error(description: "invalid character in string literal") }
            if b != UInt8(ascii: "\\") { raw.append(b); index += 1; continue }
            flush()
            index += 1
            guard index < bytes.count else { throw unexpected() }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count,
                   bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    index += 2
                    let low = try hex4()
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default: throw Error(description: "invalid character in string escape code")
            }
        }
        flush()
        return String(scalars)
    }

    private mutating func hex4() throws(Error) -> UInt32 {
        guard index + 4 <= bytes.count else { throw unexpected() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = Character(Unicode.Scalar(bytes[index])).hexDigitValue else {
                throw Error(description: "invalid character in \\u hexadecimal character escape")
            }
            v = v * 16 + UInt32(d)
            index += 1
        }
        return v
    }

    private mutating func parseNumber() throws(Error) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count {
            let b = bytes[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { index += 1; continue }
            if b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") {
                isInteger = false; index += 1; continue
            }
            break
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw Error(description: "invalid number literal \(text)") }
        return .double(d)
    }
}
