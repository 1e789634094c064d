import Crypto
import Foundation

/// A 256-bit master key that wraps the per-object data keys. Its ``id`` is recorded in every object
/// and manifest so that keys can rotate; the key material itself never appears in a description,
/// a mirror or an error message.
public struct EncryptionKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// 16 lowercase hex characters: the first 8 bytes of HMAC-SHA256(key, "lifeboat key id v1").
    /// Deterministic (the same key always has the same id, in every copy), and reveals nothing about the key.
    public let id: String
    /// The 8 bytes behind ``id``, as written in an encrypted object's header.
    let idBytes: [UInt8]
    /// The key material.
    let symmetricKey: SymmetricKey

    /// The number of bytes of key material.
    public static let byteCount = 32

    /// Creates a key from 32 bytes of key material.
    /// - Throws: ``EncryptionError`` (`invalidKey`) when `rawKey` is not 32 bytes long.
    public init(rawKey: [UInt8]) throws {
        guard rawKey.count == Self.byteCount else {
            throw EncryptionError(
                code: .invalidKey,
                message: "an encryption key must be \(Self.byteCount) bytes (256 bits), not \(rawKey.count) bytes")
        }
        symmetricKey = SymmetricKey(data: rawKey)
        let mac = HMAC<SHA256>.authenticationCode(for: Array("lifeboat key id v1".utf8), using: symmetricKey)
        idBytes = Array(mac.prefix(8))
        id = Self.hex(idBytes)
    }

    /// Creates a fresh random key.
    public static func generate() -> EncryptionKey {
        let material = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        // 32 bytes by construction: the initializer cannot fail.
        return try! EncryptionKey(rawKey: material)
    }

    /// The key material in base64, the form ``load(fromFile:)`` and ``fromEnvironment(_:variable:)`` accept.
    /// Handle it as a secret.
    public var exported: String {
        symmetricKey.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Reads a key file holding 64 hexadecimal characters or the base64 encoding of 32 bytes;
    /// surrounding whitespace and newlines are ignored.
    /// - Throws: ``EncryptionError`` (`keyUnreadable` or `invalidKey`) saying what is expected,
    ///   never echoing the file's content.
    public static func load(fromFile path: String) throws -> EncryptionKey {
        let content: Data
        do {
            content = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EncryptionError(
                code: .keyUnreadable,
                message: "cannot read the encryption key file \(path): check that it exists and is readable by this user")
        }
        return try parse(text: String(decoding: content, as: UTF8.self), source: "the encryption key file \(path)")
    }

    /// Reads a key from the environment variable `variable` (same formats as ``load(fromFile:)``).
    /// - Returns: `nil` when the variable is not set or empty.
    /// - Throws: ``EncryptionError`` (`invalidKey`) when it is set but holds no valid key.
    public static func fromEnvironment(
        _ environment: [String: String], variable: String = "LIFEBOAT_ENCRYPTION_KEY"
    ) throws -> EncryptionKey? {
        guard let value = environment[variable], !value.allSatisfy(\.isWhitespace) else { return nil }
        return try parse(text: value, source: "the environment variable \(variable)")
    }

    /// Parses 64 hex characters or base64 of 32 bytes, with surrounding whitespace ignored.
    static func parse(text: String, source: String) throws -> EncryptionKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.utf8.count == 64, let bytes = decodeHex(trimmed) {
            return try EncryptionKey(rawKey: bytes)
        }
        if let data = Data(base64Encoded: trimmed), data.count == byteCount {
            return try EncryptionKey(rawKey: Array(data))
        }
        // Say what is expected and how long the content is; never what it is.
        throw EncryptionError(
            code: .invalidKey,
            message: "\(source) does not hold a valid encryption key: expected 64 hexadecimal characters "
                + "or the base64 encoding of exactly 32 bytes (found \(trimmed.count) characters after trimming whitespace); "
                + "generate one with `head -c 32 /dev/urandom | base64`")
    }

    /// The key's id only.
    public var description: String { "EncryptionKey(id: \(id))" }

    /// The key's id only.
    public var debugDescription: String { description }

    /// A mirror that shows the id only, so `dump` and debuggers never print key material.
    public var customMirror: Mirror { Mirror(self, children: ["id": id], displayStyle: .struct) }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }

    static func decodeHex(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 2 == 0 else { return nil }
        func value(_ character: UInt8) -> UInt8? {
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(characters[index]), let low = value(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
