import Crypto

/// Encrypts one repository object as a ``ByteTransform``: a fresh random data key wrapped by the
/// master key, then AES-256-GCM chunks with counter nonces and a final-chunk flag, all bound to the
/// object's name (format in docs/ENCRYPTION.md). Truncation, reordering, duplication of chunks and
/// swapping objects are detected by ``ObjectDecryptor``.
public struct ObjectEncryptor: ByteTransform {
    /// The encryption format version this build writes (and the only one it reads); record it in manifests.
    public static let formatVersion = Int(EncryptedObjectFormat.version)
    private let masterKey: EncryptionKey
    private let objectName: [UInt8]
    private let chunkSize: Int
    private let dataKey = SymmetricKey(size: .bits256)
    private var headerWritten = false
    private var finished = false
    private var chunkIndex: UInt64 = 0
    /// Plaintext waiting for a chunk to fill.
    private var pending: [UInt8] = []

    /// Creates an encryptor for the object `objectName` (its repository-relative path; the reader must
    /// use the same name).
    /// - Parameters:
    ///   - key: the master key; its id is written in the header.
    ///   - objectName: the object's repository-relative path, bound into every authentication tag.
    ///   - chunkSize: plaintext bytes per chunk, 1 byte to 64 MiB (a programming error otherwise).
    public init(key: EncryptionKey, objectName: String, chunkSize: Int = 1 << 20) {
        precondition(
            (1...EncryptedObjectFormat.maximumChunkSize).contains(chunkSize),
            "the encryption chunk size must be between 1 byte and 64 MiB")
        masterKey = key
        self.objectName = Array(objectName.utf8)
        self.chunkSize = chunkSize
    }

    /// Encrypts `input`, returning the header (first call) and every chunk that filled.
    public mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        precondition(!finished, "ObjectEncryptor.update called after finish")
        var output: [UInt8] = []
        // Exactly the chunks this input completes (plus the header the first time); nothing when it completes none.
        let completed = (pending.count + input.count) / chunkSize
        output.reserveCapacity(
            completed * (chunkSize + EncryptedObjectFormat.chunkOverhead) + (headerWritten ? 0 : EncryptedObjectFormat.headerCount))
        if !headerWritten { try writeHeader(into: &output) }
        var offset = 0
        if !pending.isEmpty {
            let taken = min(chunkSize - pending.count, input.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<taken]))
            offset = taken
            if pending.count == chunkSize {
                try pending.withUnsafeBytes { try seal($0, final: false, into: &output) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        // Whole chunks straight from the input, without copying them into `pending`.
        while input.count - offset >= chunkSize {
            try seal(UnsafeRawBufferPointer(rebasing: input[offset..<offset + chunkSize]), final: false, into: &output)
            offset += chunkSize
        }
        if offset < input.count {
            if pending.capacity < chunkSize { pending.reserveCapacity(chunkSize) }
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...]))
        }
        return output
    }

    /// Writes the final chunk (possibly empty). The transform cannot be used afterwards.
    public mutating func finish() throws -> [UInt8] {
        precondition(!finished, "ObjectEncryptor.finish called twice")
        finished = true
        var output: [UInt8] = []
        output.reserveCapacity(pending.count + EncryptedObjectFormat.chunkOverhead + EncryptedObjectFormat.headerCount)
        if !headerWritten { try writeHeader(into: &output) }
        try pending.withUnsafeBytes { try seal($0, final: true, into: &output) }
        pending = []
        return output
    }

    private mutating func writeHeader(into output: inout [UInt8]) throws {
        headerWritten = true
        var header = EncryptedObjectFormat.magic
        header.append(EncryptedObjectFormat.version)
        header.append(contentsOf: masterKey.idBytes)
        EncryptedObjectFormat.appendBigEndian(UInt32(chunkSize), to: &header)
        let wrapNonce = AES.GCM.Nonce()
        header.append(contentsOf: wrapNonce)
        let wrapped: AES.GCM.SealedBox
        do {
            wrapped = try dataKey.withUnsafeBytes { keyBytes in
                try AES.GCM.seal(
                    keyBytes, using: masterKey.symmetricKey, nonce: wrapNonce,
                    authenticating: EncryptedObjectFormat.wrapAuthenticatedData(header: header, objectName: objectName))
            }
        } catch {
            throw EncryptionError(code: .cryptoFailure, message: "wrapping the data key failed: \(error)")
        }
        header.append(contentsOf: wrapped.ciphertext)
        header.append(contentsOf: wrapped.tag)
        output.append(contentsOf: header)
    }

    private mutating func seal(_ plaintext: UnsafeRawBufferPointer, final: Bool, into output: inout [UInt8]) throws {
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.seal(
                plaintext, using: dataKey, nonce: EncryptedObjectFormat.chunkNonce(index: chunkIndex, final: final),
                authenticating: objectName)
        } catch {
            throw EncryptionError(code: .cryptoFailure, message: "encrypting chunk \(chunkIndex) failed: \(error)")
        }
        output.append(final ? EncryptedObjectFormat.flagFinal : EncryptedObjectFormat.flagMore)
        EncryptedObjectFormat.appendBigEndian(UInt32(plaintext.count), to: &output)
        output.append(contentsOf: box.ciphertext)
        output.append(contentsOf: box.tag)
        chunkIndex += 1
    }
}
