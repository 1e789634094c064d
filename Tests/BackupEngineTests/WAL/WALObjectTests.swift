import BackupEngine
import Foundation
import Testing

@Suite("WAL object format: round trip, tool compatibility, tampering")
struct WALObjectTests {
    static let name = "000000010000000000000003"
    static let path = "clusters/7301234567890123456-pg15/00000001/wal/000000010000000000000003"
    static let plain = SyntheticWAL.segment(system: 7_301_234_567_890_123_456, number: 3, segmentSize: 1 << 20)

    @Test("given each compression, plain and encrypted, when encoded and decoded, then the bytes come back and the header describes them",
          arguments: CompressionAlgorithm.allCases, [false, true])
    func roundTrip(compression: CompressionAlgorithm, encrypted: Bool) throws {
        let stored = try WALObject.encode(Self.plain, name: Self.name, path: Self.path,
                                          options: SyntheticWAL.options(compression, key: encrypted ? SyntheticWAL.key : nil))
        let (header, offset) = try WALObject.header(of: stored, path: Self.path)
        #expect(header.format == "lifeboat-wal/1")
        #expect(header.name == Self.name)
        #expect(header.compression == compression.rawValue)
        #expect(header.keyId == (encrypted ? SyntheticWAL.key.id : nil))
        #expect(header.sha256 == WALObject.sha256(Self.plain))
        #expect(header.bytes == Int64(Self.plain.count))
        #expect(offset > 8 && offset < 400)
        let keyring = encrypted ? EncryptionKeyring(current: SyntheticWAL.key) : nil
        #expect(try WALObject.decode(stored, path: Self.path, keyring: keyring) == Self.plain)
        if compression != .none { #expect(stored.count < Self.plain.count / 2, "WAL-like data should compress") }
        // The key id is in the header, the key never.
        #expect(!String(decoding: stored.prefix(offset), as: UTF8.self).contains(SyntheticWAL.key.exported))
    }

    @Test("given an unencrypted object, when the zstd or lz4 tool decompresses it, then the header frame is skipped and the WAL comes out",
          arguments: [(CompressionAlgorithm.zstd, "zstd"), (.lz4, "lz4")])
    func toolsReadObjects(compression: CompressionAlgorithm, tool: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.file("object")
        try writeBytes(try WALObject.encode(Self.plain, name: Self.name, path: Self.path, options: SyntheticWAL.options(compression)), to: file)
        let output = directory.file("out")
        let result = try Tool.run(tool, ["-d", "-c", file.path], output: output)
        #expect(result.status == 0, "\(tool): \(result.standardError)")
        #expect(try readBytes(output) == Self.plain)
    }

    enum Damage: String, CaseIterable, Sendable {
        case bodyByte, lastByte, headerChecksum, headerSize, truncatedBody, truncatedHeader, magic, empty
    }

    @Test("given a stored object damaged in body or header, when decoded, then an integrity error is raised and no bytes are returned",
          arguments: Damage.allCases, [(CompressionAlgorithm.zstd, false), (.zstd, true), (.none, false), (.lz4, true)])
    func tamperingDetected(damage: Damage, encoding: (compression: CompressionAlgorithm, encrypted: Bool)) throws {
        let (compression, encrypted) = encoding
        var stored = try WALObject.encode(Self.plain, name: Self.name, path: Self.path,
                                          options: SyntheticWAL.options(compression, key: encrypted ? SyntheticWAL.key : nil))
        let (_, offset) = try WALObject.header(of: stored, path: Self.path)
        let json = String(decoding: stored[8..<offset], as: UTF8.self)
        switch damage {
        case .bodyByte: stored[offset + (stored.count - offset) / 2] ^= 0x01
        case .lastByte: stored[stored.count - 1] ^= 0x80
        case .headerChecksum:
            let digest = WALObject.sha256(Self.plain)
            let flipped = (digest.first == "0" ? "1" : "0") + digest.dropFirst()
            stored = try Self.replacingHeader(stored, offset: offset, json: json.replacingOccurrences(of: digest, with: flipped))
        case .headerSize:
            stored = try Self.replacingHeader(stored, offset: offset, json: json.replacingOccurrences(of: "\"bytes\":\(Self.plain.count)", with: "\"bytes\":\(Self.plain.count - 1)"))
        case .truncatedBody: stored.removeLast((stored.count - offset) / 3)
        case .truncatedHeader: stored = Array(stored.prefix(offset - 5))
        case .magic: stored[0] ^= 0xFF
        case .empty: stored = []
        }
        let keyring = EncryptionKeyring(current: SyntheticWAL.key)
        #expect {
            try WALObject.decode(stored, path: Self.path, keyring: keyring)
        } throws: { error in
            (error as? LifeboatError)?.code == .integrity && (error as? LifeboatError)?.message.contains(Self.path) == true
        }
    }

    @Test("given an unencrypted object copied under another segment's name, when decoded under that name, then it is refused")
    func renamedObjectRefused() throws {
        let stored = try WALObject.encode(Self.plain, name: Self.name, path: Self.path, options: SyntheticWAL.options())
        let other = Self.path.replacingOccurrences(of: "0003", with: "0004")
        #expect(throws: LifeboatError.self) { try WALObject.decode(stored, path: other, keyring: nil) }
    }

    @Test("given an encrypted object, when decoded without a key or with another key, then the error names the key id")
    func wrongKey() throws {
        let stored = try WALObject.encode(Self.plain, name: Self.name, path: Self.path, options: SyntheticWAL.options(.zstd, key: SyntheticWAL.key))
        for keyring in [nil, EncryptionKeyring(current: SyntheticWAL.otherKey)] {
            #expect {
                try WALObject.decode(stored, path: Self.path, keyring: keyring)
            } throws: { error in
                guard let error = error as? LifeboatError else { return false }
                return error.code == .encryptionKey && error.description.contains(SyntheticWAL.key.id)
            }
        }
    }

    /// Rebuilds the skippable frame around edited header JSON.
    static func replacingHeader(_ stored: [UInt8], offset: Int, json: String) throws -> [UInt8] {
        let bytes = Array(json.utf8)
        let length = UInt32(bytes.count)
        return Array(stored[0..<4]) + [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 24)] + bytes + stored[offset...]
    }
}
