extension JSONValue {
    /// The JSON tree `value` encodes to, built directly, without writing and parsing JSON text.
    ///
    /// Equivalent to encoding with `JSONEncoder` and decoding the bytes as a `JSONValue`, at a fraction of the cost:
    /// numbers become `.number`, booleans `.bool`, strings `.string`, `nil` `.null`, and a value that encodes nothing
    /// an empty object (as `JSONEncoder` writes `{}`).
    public init(encoding value: some Encodable) throws {
        let root = JSONTreeNode()
        try root.encode(value, codingPath: [])
        self = root.value
    }
}

/// One node of the tree `JSONValue(encoding:)` builds: a scalar, an object or an array, decided by the first
/// container the value asks for. A class, so containers handed out earlier keep filling the same node.
final class JSONTreeNode {
    private var scalar: JSONValue?
    private var members: [String: JSONTreeNode]?
    private var items: [JSONTreeNode]?

    /// The finished value.
    var value: JSONValue {
        if let members { return .object(members.mapValues(\.value)) }
        if let items { return .array(items.map(\.value)) }
        return scalar ?? .object([:])
    }

    func set(_ value: JSONValue) {
        scalar = value
        members = nil
        items = nil
    }

    func makeObject() {
        if members == nil {
            members = [:]
            items = nil
            scalar = nil
        }
    }

    func makeArray() {
        if items == nil {
            items = []
            members = nil
            scalar = nil
        }
    }

    func member(_ key: String) -> JSONTreeNode {
        makeObject()
        let child = JSONTreeNode()
        members![key] = child
        return child
    }

    func appendItem() -> JSONTreeNode {
        makeArray()
        let child = JSONTreeNode()
        items!.append(child)
        return child
    }

    var itemCount: Int { items?.count ?? 0 }

    /// Encodes `value` into this node; scalars the models use take a short path.
    func encode<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        switch value {
        case let string as String: set(.string(string))
        case let bool as Bool: set(.bool(bool))
        case let int as Int: set(.number(Double(int)))
        case let int as Int64: set(.number(Double(int)))
        case let double as Double: set(.number(double))
        case let json as JSONValue: set(json)
        default: try value.encode(to: JSONTreeEncoder(node: self, codingPath: codingPath))
        }
    }
}

/// The `Encoder` of `JSONValue(encoding:)`.
struct JSONTreeEncoder: Encoder {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(JSONTreeKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return JSONTreeUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONTreeSingleValueContainer(node: node, codingPath: codingPath)
    }
}

struct JSONTreeKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.member(key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.member(key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) throws { node.member(key.stringValue).set(.string(value)) }
    mutating func encode(_ value: Double, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Float, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Int, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { node.member(key.stringValue).set(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try node.member(key.stringValue).encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        JSONTreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        JSONTreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONTreeEncoder(node: node.member("super"), codingPath: codingPath + [JSONValueKey(stringValue: "super")])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        JSONTreeEncoder(node: node.member(key.stringValue), codingPath: codingPath + [key])
    }
}

struct JSONTreeUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]
    var count: Int { node.itemCount }

    private var nextKey: any CodingKey { JSONValueKey(index: count) }

    mutating func encodeNil() throws { node.appendItem().set(.null) }
    mutating func encode(_ value: Bool) throws { node.appendItem().set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.appendItem().set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Float) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { node.appendItem().set(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { node.appendItem().set(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let key = nextKey
        try node.appendItem().encode(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        return JSONTreeEncoder(node: node.appendItem(), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        return JSONTreeEncoder(node: node.appendItem(), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let key = nextKey
        return JSONTreeEncoder(node: node.appendItem(), codingPath: codingPath + [key])
    }
}

struct JSONTreeSingleValueContainer: SingleValueEncodingContainer {
    let node: JSONTreeNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Float) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Int) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Int8) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Int16) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Int32) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: Int64) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: UInt) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: UInt8) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: UInt16) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: UInt32) throws { node.set(.number(Double(value))) }
    mutating func encode(_ value: UInt64) throws { node.set(.number(Double(value))) }

    mutating func encode<T: Encodable>(_ value: T) throws { try node.encode(value, codingPath: codingPath) }
}
