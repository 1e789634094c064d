import BackupEngine
import Testing

/// Every way an encrypted object can be damaged or misused is detected, with its own error code.
@Suite("Encrypted object tampering, truncation and misuse")
struct ObjectDecryptionFailureTests {
    static let name = "backups/20261121T100000Z/db1.dump.zst"
    static let plaintext = TestData.pgbenchLike(count: 4_500, seed: 51)

    static func object() throws -> [UInt8] { try EncryptionFixtures.encrypt(plaintext, name: name) }

    @Test("given the wrong master key, when decrypting, then the error names both key ids")
    func wrongKey() throws {
        let error = try EncryptionFixtures.decryptionError(
            try Self.object(), keyring: EncryptionKeyring(current: EncryptionFixtures.otherKey), name: Self.name)
        #expect(error.code == .keyMismatch)
        #expect(error.message.contains(
            "the encryption key (id \(EncryptionFixtures.otherKey.id)) does not match the key this object was written with (id \(EncryptionFixtures.key.id))"))
    }

    @Test("given one flipped byte anywhere in a chunk, when decrypting, then the chunk fails authentication",
          arguments: [78 + 5, 78 + 500, 78 + 1_020, 78 + 1_021 + 1_020, -1, -20])
    func tamperedChunk(position: Int) throws {
        var bytes = try Self.object()
        let index = position >= 0 ? position : bytes.count + position
        bytes[index] ^= 0x01
        let error = try EncryptionFixtures.decryptionError(bytes, name: Self.name)
        #expect(error.code == .chunkAuthenticationFailed, "\(error)")
        #expect(error.message.contains(Self.name))
    }

    @Test("given a modified header field, when decrypting, then the header fails authentication",
          arguments: [15, 17, 20, 40, 70, 77])
    func tamperedHeader(position: Int) throws {
        var bytes = try Self.object()
        bytes[position] ^= 0x80
        let error = try EncryptionFixtures.decryptionError(bytes, name: Self.name)
        #expect(error.code == .wrongObject, "\(error)")
    }

    @Test("given a chunk's framing changed (flag or length), when decrypting, then it is refused")
    func tamperedFraming() throws {
        let original = try Self.object()
        var flagged = original
        flagged[78] = 1  // first chunk claims to be final
        #expect(try EncryptionFixtures.decryptionError(flagged, name: Self.name).code == .chunkAuthenticationFailed)
        var lengthened = original
        lengthened[78 + 3] ^= 0x01  // non-final chunk with a length other than the chunk size
        #expect(try EncryptionFixtures.decryptionError(lengthened, name: Self.name).code == .malformed)
        var badFlag = original
        badFlag[78] = 7
        #expect(try EncryptionFixtures.decryptionError(badFlag, name: Self.name).code == .malformed)
    }

    @Test("given the final chunk dropped, when decrypting, then the object is reported truncated")
    func droppedFinalChunk() throws {
        let layout = try EncryptedLayout(try Self.object())
        let error = try EncryptionFixtures.decryptionError(layout.assembled(layout.chunks.dropLast()), name: Self.name)
        #expect(error.code == .truncated)
        #expect(error.message.contains("truncated"))
    }

    @Test("given the object cut anywhere, when decrypting, then it is reported truncated",
          arguments: [1, 10, 16, 21, 600, 1_021 + 3])
    func cutShort(dropped: Int) throws {
        let bytes = try Self.object()
        let error = try EncryptionFixtures.decryptionError(Array(bytes.dropLast(dropped)), name: Self.name)
        #expect(error.code == .truncated, "\(error)")
    }

    @Test("given only part of the header, when decrypting, then it is reported truncated", arguments: [0, 3, 6, 77, 78])
    func partialHeader(count: Int) throws {
        let bytes = try Self.object()
        #expect(try EncryptionFixtures.decryptionError(Array(bytes.prefix(count)), name: Self.name).code == .truncated)
    }

    @Test("given two chunks swapped, when decrypting, then authentication fails")
    func reordered() throws {
        let layout = try EncryptedLayout(try Self.object())
        var chunks = layout.chunks
        chunks.swapAt(1, 2)
        #expect(try EncryptionFixtures.decryptionError(layout.assembled(chunks), name: Self.name).code == .chunkAuthenticationFailed)
    }

    @Test("given a chunk duplicated, when decrypting, then authentication fails")
    func duplicated() throws {
        let layout = try EncryptedLayout(try Self.object())
        var chunks = layout.chunks
        chunks.insert(chunks[1], at: 2)
        #expect(try EncryptionFixtures.decryptionError(layout.assembled(chunks), name: Self.name).code == .chunkAuthenticationFailed)
    }

    @Test("given a middle chunk dropped, when decrypting, then authentication fails")
    func droppedMiddleChunk() throws {
        let layout = try EncryptedLayout(try Self.object())
        var chunks = layout.chunks
        chunks.remove(at: 1)
        #expect(try EncryptionFixtures.decryptionError(layout.assembled(chunks), name: Self.name).code == .chunkAuthenticationFailed)
    }

    @Test("given object A's bytes read as object B (same key, same backup), when decrypting, then the swap is detected")
    func swappedObjects() throws {
        let nameB = "backups/20261121T100000Z/db2.dump.zst"
        let error = try EncryptionFixtures.decryptionError(try Self.object(), name: nameB)
        #expect(error.code == .wrongObject)
        #expect(error.message == "object \(nameB) failed authentication: it was written as a different object or was modified")
    }

    @Test("given B's header with A's chunks (both under the same key), when decrypting as B, then the chunks fail authentication")
    func splicedObjects() throws {
        let nameB = "backups/20261121T100000Z/db2.dump.zst"
        let layoutA = try EncryptedLayout(try Self.object())
        let layoutB = try EncryptedLayout(try EncryptionFixtures.encrypt(Self.plaintext, name: nameB))
        let spliced = layoutB.header + layoutA.chunks.joined()
        #expect(try EncryptionFixtures.decryptionError(spliced, name: nameB).code == .chunkAuthenticationFailed)
    }

    @Test("given bytes after the final chunk, when decrypting, then trailing data is reported",
          arguments: [1, 913, 5_000])
    func trailingGarbage(pieceSize: Int) throws {
        let bytes = try Self.object() + Array("garbage".utf8)
        let error = try EncryptionFixtures.decryptionError(bytes, name: Self.name, pieceSize: pieceSize)
        #expect(error.code == .trailingData)
        #expect(error.message.contains("after its final chunk"))
    }

    @Test("given a plain (unencrypted) object, when decrypting, then it says the object is not encrypted")
    func notEncrypted() throws {
        let error = try EncryptionFixtures.decryptionError(Self.plaintext, name: Self.name)
        #expect(error.code == .notEncrypted)
    }

    @Test("given an unknown format version, when decrypting, then it names the version")
    func unknownVersion() throws {
        var bytes = try Self.object()
        bytes[5] = 9
        let error = try EncryptionFixtures.decryptionError(bytes, name: Self.name)
        #expect(error.code == .unsupportedVersion)
        #expect(error.message.contains("version 9"))
    }
}
