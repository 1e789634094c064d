import Crypto
import Foundation
import NIOConcurrencyHelpers

/// The read half of the data path: storage → SHA-256 check → decryption → decompression → plaintext.
public enum ObjectDecoder {
    /// Streams the plaintext of `object` (of the backup in `manifest`) to `consume`.
    ///
    /// Encrypted chunks are authenticated before any of their plaintext is passed on; the SHA-256 of the stored
    /// bytes is compared at the end. Either failure throws an integrity error that names the object.
    public static func read(
        _ object: BackupManifest.Object, of manifest: BackupManifest, from repository: Repository,
        keyring: EncryptionKeyring?, progress: ProgressReporter? = nil,
        consume: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws {
        let path = repository.path(of: manifest, object: object.name)
        guard let algorithm = CompressionAlgorithm(rawValue: manifest.compression) else {
            throw LifeboatError(.repository, "backup \(manifest.id) uses compression \"\(manifest.compression)\", which this lifeboat does not know", hint: "upgrade lifeboat")
        }
        var stages: [any ByteTransform] = []
        if let keyId = manifest.encryptionKeyId {
            guard let keyring else {
                throw LifeboatError(.encryptionKey, "backup \(manifest.id) is encrypted (key id \(keyId)) and no key was given", hint: "set LIFEBOAT_ENCRYPTION_KEY or --encryption-key-file to the key with id \(keyId)")
            }
            stages.append(ObjectDecryptor(keyring: keyring, objectName: path))
        }
        stages.append(algorithm.makeDecompressor())
        let state = DecodeState(chain: TransformChain(stages))
        do {
            try await repository.storage.read(path: path) { stored in
                state.withLock { state in
                    state.hasher.update(data: stored)
                    state.storedBytes += Int64(stored.count)
                }
                progress?.add(stored: stored.count)
                // Decode in slices: highly compressible data would otherwise expand one stored chunk into a
                // plaintext array a hundred times its size; slices keep memory bounded and writes moderate.
                var offset = 0
                while offset < stored.count {
                    let end = min(offset + Self.decodeSlice, stored.count)
                    let plain = try state.withLock { state in
                        try stored[offset..<end].withUnsafeBytes { try state.chain.update($0) }
                    }
                    offset = end
                    if !plain.isEmpty {
                        progress?.add(plain: plain.count)
                        try await consume(plain)
                    }
                }
            }
            let (rest, digest, storedBytes) = try state.withLock { state in
                (try state.chain.finish(), state.hasher.finalize().map { String(format: "%02x", $0) }.joined(), state.storedBytes)
            }
            guard storedBytes == object.storedBytes, digest == object.sha256 else {
                throw LifeboatError(
                    .integrity,
                    "object \(path) is damaged: its SHA-256 is \(digest) (\(storedBytes) bytes), the manifest recorded \(object.sha256) (\(object.storedBytes) bytes)",
                    hint: "restore another backup (`lifeboat list`); this one cannot be trusted")
            }
            if !rest.isEmpty {
                progress?.add(plain: rest.count)
                try await consume(rest)
            }
        } catch let error as EncryptionError {
            if error.code == .keyMismatch || error.code == .invalidKey {
                throw LifeboatError(.encryptionKey, "cannot decrypt \(path): \(error.message)", hint: "give the key the backup was written with (key id \(manifest.encryptionKeyId ?? "?"))")
            }
            throw LifeboatError(.integrity, "object \(path) failed authentication: \(error.message)", hint: "the object was modified, truncated or swapped; restore another backup")
        } catch let error as CompressionError {
            throw LifeboatError(.integrity, "object \(path) is damaged: \(error)", hint: "restore another backup (`lifeboat list`)")
        }
    }

    /// Stored bytes fed to the decoders at a time.
    static let decodeSlice = 16 * 1024

    /// Decoding state, touched by one reader at a time (storage calls `consume` sequentially); the lock
    /// makes that explicit to the compiler.
    private final class DecodeState: @unchecked Sendable {
        var chain: TransformChain
        var hasher = SHA256()
        var storedBytes: Int64 = 0
        private let lock = NIOLock()

        init(chain: TransformChain) { self.chain = chain }

        func withLock<T>(_ body: (DecodeState) throws -> T) rethrows -> T {
            try lock.withLock { try body(self) }
        }
    }
}
