import Crypto
import Foundation

/// How one archived WAL file is stored: a header, then the file compressed (and encrypted).
///
/// The header is a zstd/LZ4 *skippable frame* (magic `0x184D2A5B`, little-endian length, then JSON), so
/// `zstd -d` and `lz4 -d` read an unencrypted object directly. It keeps the plaintext's SHA-256 and size with the
/// object: a second push of the same name compares them without decrypting (encrypted bytes differ on every push),
/// and a fetch proves the decoded bytes are exactly what was archived before PostgreSQL replays them.
public enum WALObject {
    /// The header's JSON.
    public struct Header: Codable, Sendable, Hashable {
        /// `lifeboat-wal/1`.
        public var format: String
        /// The WAL file's name.
        public var name: String
        /// `zstd`, `lz4`, `gzip` or `none`.
        public var compression: String
        /// The master key id when encrypted.
        public var keyId: String?
        /// SHA-256 (hex) of the WAL file's bytes.
        public var sha256: String
        /// Size of the WAL file.
        public var bytes: Int64
    }

    /// The header's format tag.
    public static let format = "lifeboat-wal/1"
    /// The skippable-frame magic number of the header.
    static let magic: UInt32 = 0x184D_2A5B

    /// Encodes the WAL file `plain` named `name`, stored at `path` (the encryption's authenticated data). `digest`, when
    /// the caller already hashed `plain` (SHA-256, hex), saves hashing it again.
    public static func encode(_ plain: [UInt8], name: String, path: String, options: DataPathOptions, digest known: String? = nil) throws -> [UInt8] {
        let digest = known ?? sha256(plain)
        let header = Header(format: format, name: name, compression: options.compression.rawValue, keyId: options.encryptionKey?.id,
                            sha256: digest, bytes: Int64(plain.count))
        var stages: [any ByteTransform] = []
        do {
            stages.append(try options.compression.makeCompressor(level: options.compressionLevel, threads: options.compressionThreads))
        } catch {
            throw LifeboatError(.invalidInput, "\(error)")
        }
        if let key = options.encryptionKey { stages.append(ObjectEncryptor(key: key, objectName: path)) }
        var chain = TransformChain(stages)
        var body = try plain.withUnsafeBytes { try chain.update($0) }
        body.append(contentsOf: try chain.finish())
        return try encodeHeader(header) + body
    }

    /// Reads only the header of a stored object (the first bytes are enough).
    public static func header(of stored: [UInt8], path: String) throws -> (Header, bodyOffset: Int) {
        func damaged(_ why: String) -> LifeboatError {
            LifeboatError(.integrity, "WAL object \(path) is damaged: \(why)", hint: "the archive cannot be trusted past this file; see `lifeboat check`")
        }
        guard stored.count >= 8 else { throw damaged("it is only \(stored.count) bytes long") }
        let magic = UInt32(stored[0]) | UInt32(stored[1]) << 8 | UInt32(stored[2]) << 16 | UInt32(stored[3]) << 24
        guard magic == Self.magic else { throw damaged("it does not start with a lifeboat WAL header") }
        let length = Int(UInt32(stored[4]) | UInt32(stored[5]) << 8 | UInt32(stored[6]) << 16 | UInt32(stored[7]) << 24)
        guard length <= 4096, stored.count >= 8 + length else { throw damaged("its header is truncated") }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(stored[8..<(8 + length)])) else {
            throw damaged("its header is not valid JSON")
        }
        guard header.format == format else {
            throw LifeboatError(.repository, "WAL object \(path) has format \(header.format), which this lifeboat does not read", hint: "upgrade lifeboat")
        }
        return (header, 8 + length)
    }

    /// Decodes a stored object and checks the plaintext against the header's checksum and size.
    public static func decode(_ stored: [UInt8], path: String, keyring: EncryptionKeyring?) throws -> [UInt8] {
        let (header, offset) = try header(of: stored, path: path)
        // An unencrypted object has no authenticated name: a copy under another name must not pass for that file.
        let storedName = path.split(separator: "/").last.map(String.init) ?? path
        guard header.name == storedName else {
            throw LifeboatError(.integrity, "WAL object \(path) holds \(header.name), not \(storedName)", hint: "recovery must not replay it; the object was copied or renamed by hand")
        }
        guard let algorithm = CompressionAlgorithm(rawValue: header.compression) else {
            throw LifeboatError(.repository, "WAL object \(path) uses compression \"\(header.compression)\", which this lifeboat does not know", hint: "upgrade lifeboat")
        }
        var stages: [any ByteTransform] = []
        if let keyId = header.keyId {
            guard let keyring else {
                throw LifeboatError(.encryptionKey, "WAL object \(path) is encrypted (key id \(keyId)) and no key was given", hint: "set LIFEBOAT_ENCRYPTION_KEY to the key with id \(keyId)")
            }
            stages.append(ObjectDecryptor(keyring: keyring, objectName: path))
        }
        stages.append(algorithm.makeDecompressor())
        var chain = TransformChain(stages)
        var plain: [UInt8]
        do {
            plain = try stored[offset...].withUnsafeBytes { try chain.update($0) }
            plain.append(contentsOf: try chain.finish())
        } catch let error as EncryptionError {
            if error.code == .keyMismatch || error.code == .invalidKey {
                throw LifeboatError(.encryptionKey, "cannot decrypt WAL object \(path): \(error.message)", hint: "give the key it was written with (key id \(header.keyId ?? "?"))")
            }
            throw LifeboatError(.integrity, "WAL object \(path) failed authentication: \(error.message)", hint: "the object was modified or truncated; recovery must not replay it")
        } catch let error as CompressionError {
            throw LifeboatError(.integrity, "WAL object \(path) is damaged: \(error)", hint: "recovery must not replay it")
        }
        let digest = sha256(plain)
        guard Int64(plain.count) == header.bytes, digest == header.sha256 else {
            throw LifeboatError(
                .integrity, "WAL object \(path) is damaged: its content has SHA-256 \(digest) (\(plain.count) bytes), archived as \(header.sha256) (\(header.bytes) bytes)",
                hint: "recovery must not replay it")
        }
        return plain
    }

    /// Hex SHA-256 of a WAL file's bytes.
    public static func sha256(_ plain: [UInt8]) -> String {
        SHA256.hash(data: plain).map { String(format: "%02x", $0) }.joined()
    }

    private static func encodeHeader(_ header: Header) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = Array(try encoder.encode(header))
        let length = UInt32(json.count)
        let le: (UInt32) -> [UInt8] = { [UInt8($0 & 0xFF), UInt8($0 >> 8 & 0xFF), UInt8($0 >> 16 & 0xFF), UInt8($0 >> 24)] }
        return le(magic) + le(length) + json
    }
}
