import Crypto

/// The byte layout of an encrypted object, format version 1 (documented in docs/ENCRYPTION.md).
///
/// ```
/// header (78 bytes)
///   0   5  magic "LBENC"
///   5   1  format version (1)
///   6   8  master key id (first 8 bytes of HMAC-SHA256(master key, "lifeboat key id v1"))
///  14   4  chunk size: plaintext bytes per non-final chunk, UInt32 big-endian
///  18  12  wrap nonce (random)
///  30  48  wrapped data key: AES-256-GCM(master key, wrap nonce, 32-byte data key,
///          AAD = header bytes 0..<30 ‖ object name in UTF-8) = 32 bytes ciphertext ‖ 16 bytes tag
/// chunks, from offset 78, each
///   0   1  flag: 0 = more chunks follow, 1 = final chunk
///   1   4  plaintext length n, UInt32 big-endian (= chunk size when flag is 0; 0...chunk size when 1)
///   5   n  ciphertext: AES-256-GCM(data key, nonce = chunk index as 11 bytes big-endian ‖ flag,
///          AAD = object name in UTF-8)
/// 5+n  16  tag
/// nothing after the final chunk
/// ```
enum EncryptedObjectFormat {
    static let magic: [UInt8] = Array("LBENC".utf8)
    static let version: UInt8 = 1
    static let keyIDCount = 8
    static let nonceCount = 12
    static let tagCount = 16
    static let dataKeyCount = 32
    /// Header bytes covered by the key wrap's authenticated data (everything before the wrapped key).
    static let authenticatedHeaderCount = 30
    static let headerCount = authenticatedHeaderCount + dataKeyCount + tagCount
    /// Flag byte plus length.
    static let chunkPrefixCount = 5
    /// Bytes a chunk adds to its plaintext: flag, length and tag.
    static let chunkOverhead = chunkPrefixCount + tagCount
    static let flagMore: UInt8 = 0
    static let flagFinal: UInt8 = 1
    /// Largest chunk size a writer may choose or a reader accepts (bounds the reader's memory).
    static let maximumChunkSize = 64 << 20

    /// The authenticated data of the key wrap: the header before the wrapped key, then the object name.
    static func wrapAuthenticatedData(header: some Collection<UInt8>, objectName: [UInt8]) -> [UInt8] {
        Array(header.prefix(authenticatedHeaderCount)) + objectName
    }

    /// The nonce of chunk `index`: the index as 11 bytes big-endian, then the flag byte.
    static func chunkNonce(index: UInt64, final: Bool) -> AES.GCM.Nonce {
        var bytes = [UInt8](repeating: 0, count: nonceCount)
        var value = index
        for position in stride(from: 10, through: 3, by: -1) {
            bytes[position] = UInt8(truncatingIfNeeded: value)
            value >>= 8
        }
        bytes[11] = final ? flagFinal : flagMore
        // 12 bytes by construction.
        return try! AES.GCM.Nonce(data: bytes)
    }

    static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    static func readBigEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
