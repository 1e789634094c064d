/// A parsed XML element of an S3 response: name (namespace prefix removed), children and text.
///
/// S3's responses are small, flat documents; this reader handles exactly what they use (elements,
/// text, the five named entities, numeric character references, CDATA, comments, the declaration)
/// and ignores attributes.
struct S3XMLElement: Sendable {
    var name: String
    var children: [S3XMLElement] = []
    var text: String = ""

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }

    /// Every child named `name`, in document order.
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }

    /// The text of the first child named `name`.
    func value(_ name: String) -> String? { child(name)?.text }

    /// Parses a document and returns its root element.
    static func parse(_ bytes: some Collection<UInt8>) throws(S3XMLError) -> S3XMLElement {
        var parser = Parser(bytes: Array(bytes))
        return try parser.parseDocument()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseDocument() throws(S3XMLError) -> S3XMLElement {
            var stack: [S3XMLElement] = []
            var root: S3XMLElement?
            var text: [UInt8] = []
            while index < bytes.count {
                if bytes[index] != UInt8(ascii: "<") {
                    text.append(bytes[index])
                    index += 1
                    continue
                }
                if starts(with: "<?") {
                    try skip(past: "?>")
                } else if starts(with: "<!--") {
                    try skip(past: "-->")
                } else if starts(with: "<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    text.append(contentsOf: bytes[start..<(index - 3)])
                } else if starts(with: "<!") {
                    try skip(past: ">")
                } else if starts(with: "</") {
                    index += 2
                    let name = readName()
                    try skip(past: ">")
                    guard var element = stack.popLast(), element.name == localName(name) else {
                        throw S3XMLError(message: "unexpected closing tag </\(name)>")
                    }
                    element.text += try decode(text)
                    text = []
                    if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                } else {
                    index += 1
                    let name = localName(readName())
                    guard !name.isEmpty else { throw S3XMLError(message: "malformed tag at byte \(index)") }
                    let tagStart = index
                    try skip(past: ">")
                    let selfClosing = index >= 2 && bytes[index - 2] == UInt8(ascii: "/") && index - 2 >= tagStart
                    if !stack.isEmpty, !text.isEmpty {
                        stack[stack.count - 1].text += try decode(text)
                    }
                    text = []
                    let element = S3XMLElement(name: name)
                    if selfClosing {
                        if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
                    } else {
                        stack.append(element)
                    }
                }
            }
            guard stack.isEmpty, let root else { throw S3XMLError(message: "incomplete document") }
            return root
        }

        func starts(with prefix: String) -> Bool {
            let p = Array(prefix.utf8)
            return index + p.count <= bytes.count && Array(bytes[index..<(index + p.count)]) == p
        }

        mutating func skip(past terminator: String) throws(S3XMLError) {
            let t = Array(terminator.utf8)
            while index + t.count <= bytes.count {
                if bytes[index] == t[0] && Array(bytes[index..<(index + t.count)]) == t {
                    index += t.count
                    return
                }
                index += 1
            }
            throw S3XMLError(message: "unterminated markup, expected \(terminator)")
        }

        mutating func readName() -> String {
            let start = index
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: " ") || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == 9 || b == 10 || b == 13 {
                    break
                }
                index += 1
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        func localName(_ name: String) -> String {
            if let colon = name.lastIndex(of: ":") { return String(name[name.index(after: colon)...]) }
            return name
        }

        func decode(_ raw: [UInt8]) throws(S3XMLError) -> String {
            let string = String(decoding: raw, as: UTF8.self)
            guard string.contains("&") else { return string }
            var result = ""
            var rest = Substring(string)
            while let amp = rest.firstIndex(of: "&") {
                result += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else {
                    throw S3XMLError(message: "unterminated entity")
                }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "lt": result += "<"
                case "gt": result += ">"
                case "amp": result += "&"
                case "quot": result += "\""
                case "apos": result += "'"
                default:
                    var scalarValue: UInt32?
                    if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                        scalarValue = UInt32(entity.dropFirst(2), radix: 16)
                    } else if entity.hasPrefix("#") {
                        scalarValue = UInt32(entity.dropFirst(), radix: 10)
                    }
                    guard let value = scalarValue, let scalar = Unicode.Scalar(value) else {
                        throw S3XMLError(message: "unknown entity &\(entity);")
                    }
                    result.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return result + rest
        }
    }
}

/// A response body that is not the XML S3 sends.
struct S3XMLError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { "malformed XML: \(message)" }
}

extension String {
    /// The string with `<`, `>`, `&`, `"` and `'` escaped for an XML text node.
    var xmlEscaped: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
