import Crypto
import Foundation

/// Decrypts and authenticates one repository object written by ``ObjectEncryptor``, as a
/// ``ByteTransform``. The master key is chosen from the keyring by the key id in the header.
///
/// Each chunk is authenticated before its plaintext is returned, but an object is only known to be
/// whole when ``finish()`` returns: a consumer must treat the output as unusable if any call throws.
public struct ObjectDecryptor: ByteTransform {
    private let keyring: EncryptionKeyring
    private let objectName: String
    private let objectNameBytes: [UInt8]
    /// Ciphertext not yet decrypted: a partial header or chunk.
    private var pending: [UInt8] = []
    private var dataKey: SymmetricKey?
    private var chunkSize = 0
    private var chunkIndex: UInt64 = 0
    private var sawFinalChunk = false

    /// Creates a decryptor for the object named `objectName` (the repository-relative path it was written as).
    public init(keyring: EncryptionKeyring, objectName: String) {
        self.keyring = keyring
        self.objectName = objectName
        objectNameBytes = Array(objectName.utf8)
    }

    /// Feeds ciphertext; returns the plaintext of every chunk completed and authenticated so far.
    public mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0 else { return [] }
        if sawFinalChunk { throw trailingData(input.count) }
        // Work on a local copy of the buffer (moved, not copied) so that chunk handling may mutate self.
        var buffered = pending
        pending = []
        buffered.append(contentsOf: input)
        var output: [UInt8] = []
        if chunkSize > 0 {
            // Room for the chunks known to be complete; nothing when this input completes none.
            output.reserveCapacity(buffered.count / (chunkSize + EncryptedObjectFormat.chunkOverhead) * chunkSize)
        }
        var offset = 0
        try buffered.withUnsafeBytes { buffer in
            if dataKey == nil {
                guard buffer.count >= EncryptedObjectFormat.headerCount else {
                    try checkMagicAndVersion(buffer)
                    return
                }
                try readHeader(UnsafeRawBufferPointer(rebasing: buffer[0..<EncryptedObjectFormat.headerCount]))
                offset = EncryptedObjectFormat.headerCount
            }
            while let used = try openChunk(UnsafeRawBufferPointer(rebasing: buffer[offset...]), into: &output) {
                offset += used
                if sawFinalChunk {
                    if offset < buffer.count { throw trailingData(buffer.count - offset) }
                    break
                }
            }
        }
        buffered.removeFirst(offset)
        let chunkBytes = chunkSize + EncryptedObjectFormat.chunkOverhead
        if buffered.capacity < chunkBytes { buffered.reserveCapacity(chunkBytes) }
        pending = buffered
        return output
    }

    /// Checks that the object ended right after its final chunk.
    public mutating func finish() throws -> [UInt8] {
        if sawFinalChunk { return [] }
        if dataKey == nil {
            try pending.withUnsafeBytes { try checkMagicAndVersion($0) }
            throw EncryptionError(
                code: .truncated,
                message: "object \(objectName) is truncated: it ended inside its encryption header (\(pending.count) bytes)")
        }
        throw EncryptionError(
            code: .truncated,
            message: "object \(objectName) is truncated: it ended after \(chunkIndex) complete chunks"
                + (pending.isEmpty ? "" : " and \(pending.count) bytes of another")
                + ", without its final chunk")
    }

    // MARK: - Header

    private func checkMagicAndVersion(_ buffer: UnsafeRawBufferPointer) throws {
        let magic = EncryptedObjectFormat.magic
        let compared = min(buffer.count, magic.count)
        guard buffer.prefix(compared).elementsEqual(magic.prefix(compared)) else {
            throw EncryptionError(
                code: .notEncrypted,
                message: "object \(objectName) is not a Lifeboat-encrypted object (it does not start with \"LBENC\"): "
                    + "it was written without encryption, or is not a Lifeboat object")
        }
        if buffer.count > magic.count, buffer[magic.count] != EncryptedObjectFormat.version {
            throw EncryptionError(
                code: .unsupportedVersion,
                message: "object \(objectName) uses encryption format version \(buffer[magic.count]), but this Lifeboat "
                    + "reads only version \(EncryptedObjectFormat.version): use the Lifeboat release that wrote it or a newer one")
        }
    }

    private mutating func readHeader(_ header: UnsafeRawBufferPointer) throws {
        try checkMagicAndVersion(header)
        let keyIDBytes = Array(header[6..<14])
        let objectKeyID = EncryptionKey.hex(keyIDBytes)
        // Compare key ids first: a different key is the common mistake, and deserves its own message.
        guard let masterKey = keyring.key(id: objectKeyID) else {
            let offered = keyring.keyIDs.count == 1 ? "id \(keyring.current.id)" : "ids \(keyring.keyIDs.joined(separator: ", "))"
            throw EncryptionError(
                code: .keyMismatch,
                message: "object \(objectName): the encryption key (\(offered)) does not match the key this object was "
                    + "written with (id \(objectKeyID)); provide that key (as a previous key if it was rotated)")
        }
        let nonceStart = EncryptedObjectFormat.authenticatedHeaderCount - EncryptedObjectFormat.nonceCount
        let wrappedStart = EncryptedObjectFormat.authenticatedHeaderCount
        let tagStart = wrappedStart + EncryptedObjectFormat.dataKeyCount
        let unwrapped: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: header[nonceStart..<wrappedStart]),
                ciphertext: header[wrappedStart..<tagStart],
                tag: header[tagStart..<EncryptedObjectFormat.headerCount])
            unwrapped = try AES.GCM.open(
                box, using: masterKey.symmetricKey,
                authenticating: EncryptedObjectFormat.wrapAuthenticatedData(header: header, objectName: objectNameBytes))
        } catch {
            throw EncryptionError(
                code: .wrongObject,
                message: "object \(objectName) failed authentication: it was written as a different object or was modified")
        }
        let size = Int(EncryptedObjectFormat.readBigEndian(header, at: 14))
        guard (1...EncryptedObjectFormat.maximumChunkSize).contains(size) else {
            throw EncryptionError(code: .malformed, message: "object \(objectName) declares an impossible chunk size of \(size) bytes")
        }
        chunkSize = size
        dataKey = SymmetricKey(data: unwrapped)
    }

    // MARK: - Chunks

    /// Decrypts the chunk at the start of `buffer` if it is complete.
    /// - Returns: the bytes the chunk occupied, or `nil` when more input is needed.
    private mutating func openChunk(_ buffer: UnsafeRawBufferPointer, into output: inout [UInt8]) throws -> Int? {
        guard let dataKey, buffer.count >= EncryptedObjectFormat.chunkPrefixCount else { return nil }
        let flag = buffer[0]
        let length = Int(EncryptedObjectFormat.readBigEndian(buffer, at: 1))
        guard flag == EncryptedObjectFormat.flagMore || flag == EncryptedObjectFormat.flagFinal,
            flag == EncryptedObjectFormat.flagFinal ? length <= chunkSize : length == chunkSize
        else {
            throw EncryptionError(
                code: .malformed,
                message: "object \(objectName) failed authentication at chunk \(chunkIndex): its framing was modified")
        }
        let total = EncryptedObjectFormat.chunkPrefixCount + length + EncryptedObjectFormat.tagCount
        guard buffer.count >= total else { return nil }
        let final = flag == EncryptedObjectFormat.flagFinal
        let ciphertextEnd = EncryptedObjectFormat.chunkPrefixCount + length
        do {
            let box = try AES.GCM.SealedBox(
                nonce: EncryptedObjectFormat.chunkNonce(index: chunkIndex, final: final),
                ciphertext: buffer[EncryptedObjectFormat.chunkPrefixCount..<ciphertextEnd],
                tag: buffer[ciphertextEnd..<total])
            output.append(contentsOf: try AES.GCM.open(box, using: dataKey, authenticating: objectNameBytes))
        } catch {
            throw EncryptionError(
                code: .chunkAuthenticationFailed,
                message: "object \(objectName) failed authentication at chunk \(chunkIndex): it was modified, "
                    + "or its chunks were reordered, duplicated or taken from another object")
        }
        chunkIndex += 1
        sawFinalChunk = final
        return total
    }

    private func trailingData(_ count: Int) -> EncryptionError {
        EncryptionError(
            code: .trailingData,
            message: "object \(objectName) has \(count) unexpected bytes after its final chunk: it was modified or appended to")
    }
}
