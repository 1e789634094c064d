/// An untyped JSON value, as the test API server stores objects of any kind.
///
/// Numbers keep the distinction between integers and floating point values so that an `int64` field written by a
/// client comes back as `7`, not `7.0`, as the real API server does.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    /// JSON `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without fraction or exponent that fits in 64 bits.
    case int(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; key order is decided when encoding.
    case object([String: JSONValue])

    /// The object's members, or nil when this is not an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The array's elements, or nil when this is not an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The string, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The number as an integer (doubles without fraction included), or nil.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e18: return Int64(d)
        default: return nil
        }
    }

    /// The boolean, or nil when this is not a boolean.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Member access for objects; nil for missing keys and non-objects. Setting nil removes the key.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            guard case .object(var o) = self else { return }
            o[key] = newValue
            self = .object(o)
        }
    }

    /// Reads a nested value, e.g. `value[path: "metadata", "name"]`.
    public subscript(path keys: String...) -> JSONValue? {
        var current: JSONValue? = self
        for key in keys { current = current?[key] }
        return current
    }

    /// Compact JSON text with alphabetical keys (diagnostics only; the wire form uses ``JSONWriter``).
    public var description: String { JSONWriter.string(self, shape: nil) }

    /// Numbers compare by value (`7` equals `7.0`), as Go's unstructured comparison does after decoding.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.int(a), .double(b)), let (.double(b), .int(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)): return a == b
        default: return false
        }
    }

    /// Hashes consistently with ``==`` (integral doubles hash like integers).
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .int(let i): hasher.combine(Double(i))
        case .double(let d): hasher.combine(d)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o): hasher.combine(o)
        }
    }
}

extension JSONValue {
    /// Converts Foundation-style values (`[String: Any]`, `[Any]`, `String`, numbers, `Bool`, `NSNull`) into JSON.
    public init?(any: Any) {
        switch any {
        case let v as JSONValue: self = v
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .int(Int64(i))
        case let i as Int64: self = .int(i)
        case let i as Int32: self = .int(Int64(i))
        case let d as Double: self = .double(d)
        case let s as String: self = .string(s)
        case let a as [Any]:
            var out: [JSONValue] = []
            for e in a {
                guard let v = JSONValue(any: e) else { return nil }
                out.append(v)
            }
            self = .array(out)
        case let o as [AnyHashable: Any]:
            var out: [String: JSONValue] = [:]
            for (k, e) in o {
                guard let key = k.base as? String, let v = JSONValue(any: e) else { return nil }
                out[key] = v
            }
            self = .object(out)
        case let o as [String: Any]:
            var out: [String: JSONValue] = [:]
            for (k, e) in o {
                guard let v = JSONValue(any: e) else { return nil }
                out[k] = v
            }
            self = .object(out)
        default:
            if String(describing: type(of: any)) == "NSNull" { self = .null } else { return nil }
        }
    }

    /// The value as Foundation-style `Any` (`[String: Any]`, `[Any]`, `String`, `Int`, `Double`, `Bool`, or `Optional<Any>.none` for null).
    public var anyValue: Any {
        switch self {
        case .null: return Optional<Any>.none as Any
        case .bool(let b): return b
        case .int(let i): return Int(i)
        case .double(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map(\.anyValue)
        case .object(let o): return o.mapValues(\.anyValue)
        }
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral, ExpressibleByStringLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral {
    /// `["spec": ["suspend": false]]`
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    /// `["a", 1]`
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `"text"`
    public init(stringLiteral value: String) { self = .string(value) }
    /// `7`
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// `true`
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `0.5`
    public init(floatLiteral value: Double) { self = .double(value) }
}
