@testable import BackupEngine
import Testing

/// An encrypted object cut into its parts by an independent reading of docs/ENCRYPTION.md,
/// so tests can drop, swap and duplicate chunks.
struct EncryptedLayout {
    static let headerCount = 78
    let header: [UInt8]
    let chunks: [[UInt8]]

    init(_ bytes: [UInt8]) throws {
        try #require(bytes.count >= Self.headerCount)
        header = Array(bytes[0..<Self.headerCount])
        var chunks: [[UInt8]] = []
        var offset = Self.headerCount
        while offset < bytes.count {
            let length = Int(bytes[offset + 1]) << 24 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            let end = offset + 5 + length + 16
            try #require(end <= bytes.count)
            chunks.append(Array(bytes[offset..<end]))
            offset = end
        }
        self.chunks = chunks
    }

    func assembled(_ chunks: [[UInt8]]) -> [UInt8] {
        header + chunks.joined()
    }
}

enum EncryptionFixtures {
    static let key = try! EncryptionKey(rawKey: Array(0..<32))
    static let otherKey = try! EncryptionKey(rawKey: Array(100..<132))

    static func encrypt(
        _ plaintext: [UInt8], key: EncryptionKey = key, name: String = "backups/20261121T100000Z/db1.dump.zst",
        chunkSize: Int = 1_000, pieceSize: Int = 777
    ) throws -> [UInt8] {
        var encryptor = ObjectEncryptor(key: key, objectName: name, chunkSize: chunkSize)
        return try feed(&encryptor, plaintext, pieceSize: pieceSize)
    }

    static func decrypt(
        _ ciphertext: [UInt8], keyring: EncryptionKeyring = EncryptionKeyring(current: key),
        name: String = "backups/20261121T100000Z/db1.dump.zst", pieceSize: Int = 913
    ) throws -> [UInt8] {
        var decryptor = ObjectDecryptor(keyring: keyring, objectName: name)
        return try feed(&decryptor, ciphertext, pieceSize: pieceSize)
    }

    static func decryptionError(
        _ ciphertext: [UInt8], keyring: EncryptionKeyring = EncryptionKeyring(current: key),
        name: String = "backups/20261121T100000Z/db1.dump.zst", pieceSize: Int = 913
    ) throws -> EncryptionError {
        try #require(throws: EncryptionError.self) {
            _ = try decrypt(ciphertext, keyring: keyring, name: name, pieceSize: pieceSize)
        }
    }
}
