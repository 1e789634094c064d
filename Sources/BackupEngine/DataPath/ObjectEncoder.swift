import Crypto
import Foundation

/// Counts and fingerprints of one stored object.
public struct ObjectStats: Sendable {
    public var plainBytes: Int64
    public var storedBytes: Int64
    /// SHA-256 (hex) of the stored bytes.
    public var sha256: String
}

/// The write half of the data path: plaintext chunks → compression → encryption → SHA-256 → storage.
///
/// Not thread-safe; one producer feeds it in order.
public final class ObjectEncoder: @unchecked Sendable {
    private var chain: TransformChain
    private var hasher = SHA256()
    private let writer: any ObjectWriter
    private let progress: ProgressReporter?
    private(set) var plainBytes: Int64 = 0
    private(set) var storedBytes: Int64 = 0
    /// The object's repository path; it is also the encryption's authenticated data.
    public let path: String

    /// Starts an object at `path` in `storage`.
    public init(path: String, storage: any RepositoryStorage, options: DataPathOptions, createOnly: Bool = true, progress: ProgressReporter?) async throws {
        var stages: [any ByteTransform] = []
        do {
            stages.append(try options.compression.makeCompressor(level: options.compressionLevel, threads: options.compressionThreads))
        } catch {
            throw LifeboatError(.invalidInput, "\(error)")
        }
        if let key = options.encryptionKey {
            stages.append(ObjectEncryptor(key: key, objectName: path))
        }
        chain = TransformChain(stages)
        self.path = path
        self.progress = progress
        writer = try await storage.makeWriter(path: path, createOnly: createOnly)
    }

    /// Encodes and stores a chunk of plaintext.
    public func write(_ plain: [UInt8]) async throws {
        plainBytes += Int64(plain.count)
        let out = try plain.withUnsafeBytes { try chain.update($0) }
        try await emit(out)
        progress?.add(plain: plain.count)
    }

    /// Ends the object and publishes it.
    public func finish() async throws -> ObjectStats {
        try await emit(try chain.finish())
        try await writer.finish()
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return ObjectStats(plainBytes: plainBytes, storedBytes: storedBytes, sha256: digest)
    }

    /// Discards the object.
    public func abort() async {
        await writer.abort()
    }

    private func emit(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        hasher.update(data: bytes)
        storedBytes += Int64(bytes.count)
        progress?.add(stored: bytes.count)
        try await writer.write(bytes)
    }

    /// Stores everything a file descriptor yields (a tool's stdout) as one object.
    public func drain(fd: Int32) async throws -> ObjectStats {
        // Read the next chunk while this one is compressed, encrypted and stored, so the tool never waits on us.
        var chunk = try await runBlocking { try FileDescriptorIO.read(fd, capacity: 1 << 20) }
        while !chunk.isEmpty {
            async let next = runBlocking { try FileDescriptorIO.read(fd, capacity: 1 << 20) }
            try await write(chunk)
            chunk = try await next
        }
        return try await finish()
    }
}
