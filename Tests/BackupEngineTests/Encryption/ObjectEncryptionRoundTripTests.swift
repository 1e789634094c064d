import BackupEngine
import Crypto
import Testing

@Suite("Object encryption round trips")
struct ObjectEncryptionRoundTripTests {
    /// Sizes around the 1,000-byte test chunk: empty, one byte, exactly one chunk, many chunks plus a partial one.
    static let sizes = [0, 1, 999, 1_000, 1_001, 5_000, 12_345]
    static let pieces = [1, 333, 1_000, 100_000]

    @Test("given a plaintext of any size fed in any piece size, when encrypted and decrypted, then it comes back unchanged",
          arguments: sizes, pieces)
    func roundTrip(size: Int, pieceSize: Int) throws {
        let plaintext = TestData.pgbenchLike(count: size, seed: UInt64(size))
        let ciphertext = try EncryptionFixtures.encrypt(plaintext, pieceSize: pieceSize)
        #expect(try EncryptionFixtures.decrypt(ciphertext, pieceSize: pieceSize) == plaintext)
        // Header + one 21-byte frame overhead per chunk, with a final chunk always present.
        let chunks = size / 1_000 + 1
        #expect(ciphertext.count == 78 + size + chunks * 21)
    }

    @Test("given the default 1 MiB chunk size, when 3.5 MiB are encrypted and decrypted, then they come back unchanged")
    func defaultChunkSize() throws {
        let plaintext = TestData.pgbenchLike(count: 7 << 19, seed: 41)
        var encryptor = ObjectEncryptor(key: EncryptionFixtures.key, objectName: "a/b")
        let ciphertext = try feed(&encryptor, plaintext, pieceSize: 1 << 20)
        let layout = try EncryptedLayout(ciphertext)
        #expect(layout.chunks.count == 4)
        var decryptor = ObjectDecryptor(keyring: EncryptionKeyring(current: EncryptionFixtures.key), objectName: "a/b")
        #expect(TestData.digest(try feed(&decryptor, ciphertext, pieceSize: 65_536)) == TestData.digest(plaintext))
    }

    @Test("given the same plaintext encrypted twice, then the ciphertexts differ (fresh data key) and the header names the key id")
    func freshDataKey() throws {
        let plaintext = TestData.pgbenchLike(count: 3_000)
        let first = try EncryptionFixtures.encrypt(plaintext)
        let second = try EncryptionFixtures.encrypt(plaintext)
        #expect(first != second)
        #expect(Array(first[0..<6]) == Array("LBENC".utf8) + [1])
        let keyID = first[6..<14].map { String(format: "%02x", $0) }.joined()
        #expect(keyID == EncryptionFixtures.key.id)
        #expect(Array(first[14..<18]) == [0, 0, 0x03, 0xe8])
    }

    @Test("given a rotated keyring, when an object written with the previous key is decrypted, then it succeeds")
    func previousKey() throws {
        let plaintext = TestData.pgbenchLike(count: 2_500)
        let ciphertext = try EncryptionFixtures.encrypt(plaintext, key: EncryptionFixtures.otherKey)
        let keyring = EncryptionKeyring(current: EncryptionFixtures.key, previous: [EncryptionFixtures.otherKey])
        #expect(try EncryptionFixtures.decrypt(ciphertext, keyring: keyring) == plaintext)
        #expect(keyring.key(id: EncryptionFixtures.otherKey.id)?.id == EncryptionFixtures.otherKey.id)
        #expect(keyring.key(id: "0000000000000000") == nil)
    }

    @Test("given a chain of zstd and encryption, when a dump goes through it and back, then it comes back unchanged",
          arguments: CompressionAlgorithm.allCases)
    func chain(algorithm: CompressionAlgorithm) throws {
        let plaintext = TestData.pgbenchLike(count: (2 << 20) + 5, seed: 43)
        let name = "backups/x/db\(algorithm.fileExtension)"
        var forward = TransformChain([
            try algorithm.makeCompressor(level: nil, threads: 2),
            ObjectEncryptor(key: EncryptionFixtures.key, objectName: name),
        ])
        let stored = try feed(&forward, plaintext, pieceSize: 1 << 20)
        #expect(Array(stored.prefix(5)) == Array("LBENC".utf8))
        var backward = TransformChain([
            ObjectDecryptor(keyring: EncryptionKeyring(current: EncryptionFixtures.key), objectName: name),
            algorithm.makeDecompressor(),
        ])
        let restored = try feed(&backward, stored, pieceSize: 300_001)
        #expect(TestData.digest(restored) == TestData.digest(plaintext))
    }

    @Test("given an empty chain, when bytes go through, then they are unchanged")
    func emptyChain() throws {
        var chain = TransformChain([])
        #expect(try feed(&chain, [1, 2, 3], pieceSize: 2) == [1, 2, 3])
    }
}
