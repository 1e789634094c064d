@testable import BackupEngine
import Crypto
import Foundation
import Testing

@Suite("Encryption keys: files, environment, ids")
struct EncryptionKeyTests {
    static let raw: [UInt8] = (0..<32).map { UInt8($0 * 7 + 3) }
    static var hex: String { raw.map { String(format: "%02x", $0) }.joined() }
    static var base64: String { Data(raw).base64EncodedString() }

    static func keyFile(_ content: String) throws -> (TemporaryDirectory, String) {
        let directory = try TemporaryDirectory()
        let url = directory.file("key")
        try Data(content.utf8).write(to: url)
        return (directory, url.path)
    }

    @Test("given a key file in a valid form, when loaded, then it is the same key",
          arguments: [hex, hex.uppercased(), hex + "\n", "  \(hex)  \n\n", base64, base64 + "\n", "\n\t" + base64 + " \r\n"])
    func validFile(content: String) throws {
        let (directory, path) = try Self.keyFile(content)
        defer { directory.remove() }
        let loaded = try EncryptionKey.load(fromFile: path)
        let expected = try EncryptionKey(rawKey: Self.raw)
        #expect(loaded.id == expected.id)
        #expect(loaded.exported == Self.base64)
    }

    static let secretLooking = "0123456789abcdefSECRETSECRET"
    static let invalidContents: [String] = [
        "",
        String(hex.dropLast()),  // 63 hex characters
        hex + "00",  // 33 bytes of hex
        Data(raw.dropLast()).base64EncodedString(),  // 31 bytes
        Data(raw + [1]).base64EncodedString(),  // 33 bytes
        "key=" + hex,
        secretLooking,
        String(repeating: "z", count: 64),  // right length, not hex
    ]

    @Test("given a key file with bad content, when loaded, then the error says what is expected without echoing the content",
          arguments: invalidContents)
    func invalidFile(content: String) throws {
        let (directory, path) = try Self.keyFile(content)
        defer { directory.remove() }
        let error = try #require(throws: EncryptionError.self) { try EncryptionKey.load(fromFile: path) }
        #expect(error.code == .invalidKey)
        #expect(error.message.contains("64 hexadecimal characters or the base64 encoding of exactly 32 bytes"))
        #expect(error.message.contains(path))
        if content.count >= 8 {
            #expect(!error.message.contains(content.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(!error.message.contains("SECRET"))
            #expect(!error.message.contains(String(content.suffix(12))))
        }
    }

    @Test("given a missing key file, when loaded, then the error names the path")
    func missingFile() throws {
        let error = try #require(throws: EncryptionError.self) { try EncryptionKey.load(fromFile: "/nonexistent/lifeboat.key") }
        #expect(error.code == .keyUnreadable)
        #expect(error.message.contains("/nonexistent/lifeboat.key"))
    }

    @Test("given the environment, when reading the key variable, then unset means nil, set means the key, bad means an error")
    func environment() throws {
        #expect(try EncryptionKey.fromEnvironment([:]) == nil)
        #expect(try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": "  "]) == nil)
        #expect(try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": Self.hex])?.exported == Self.base64)
        #expect(try EncryptionKey.fromEnvironment(["OTHER": Self.base64], variable: "OTHER")?.exported == Self.base64)
        let error = try #require(throws: EncryptionError.self) {
            try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": Self.secretLooking])
        }
        #expect(error.code == .invalidKey)
        #expect(error.message.contains("LIFEBOAT_ENCRYPTION_KEY"))
        #expect(!error.message.contains(Self.secretLooking))
    }

    @Test("given raw key material of the wrong length, when creating a key, then it is refused", arguments: [0, 16, 31, 33, 64])
    func wrongLength(count: Int) throws {
        let error = try #require(throws: EncryptionError.self) { try EncryptionKey(rawKey: [UInt8](repeating: 1, count: count)) }
        #expect(error.code == .invalidKey)
        #expect(error.message.contains("\(count) bytes"))
    }

    @Test("given a key, then its id is the first 8 bytes of HMAC-SHA256(key, \"lifeboat key id v1\") in hex, stable across copies")
    func keyID() throws {
        let key = try EncryptionKey(rawKey: Self.raw)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("lifeboat key id v1".utf8), using: SymmetricKey(data: Self.raw))
        #expect(key.id == mac.prefix(8).map { String(format: "%02x", $0) }.joined())
        #expect(key.id.count == 16)
        #expect(try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": key.exported])?.id == key.id)
        #expect(try EncryptionKey(rawKey: Self.raw.reversed()).id != key.id)
    }

    @Test("given a key, then its description, debug description and mirror show the id and never the material")
    func neverPrinted() throws {
        let key = try EncryptionKey(rawKey: Self.raw)
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, String(reflecting: key), "\(key)", dumped, "\(EncryptionKeyring(current: key))"] {
            #expect(text.contains(key.id))
            #expect(!text.contains(Self.hex))
            #expect(!text.contains(Self.base64))
            #expect(!text.contains("\(Self.raw[0]), \(Self.raw[1]), \(Self.raw[2])"))
        }
    }

    @Test("given two generated keys, then they differ and each round-trips through its exported form")
    func generate() throws {
        let first = EncryptionKey.generate()
        let second = EncryptionKey.generate()
        #expect(first.id != second.id)
        #expect(first.exported != second.exported)
        #expect(try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": first.exported])?.id == first.id)
    }
}
