/// How objects are encoded on their way into the repository.
public struct DataPathOptions: Sendable {
    public var compression: CompressionAlgorithm
    /// nil: the algorithm's default level.
    public var compressionLevel: Int?
    /// Compression threads (zstd workers).
    public var compressionThreads: Int
    /// nil: no encryption.
    public var encryptionKey: EncryptionKey?

    /// Creates options; the level is checked against the algorithm's range.
    public init(compression: CompressionAlgorithm = .zstd, compressionLevel: Int? = nil, compressionThreads: Int = 2, encryptionKey: EncryptionKey? = nil) throws {
        self.compression = compression
        do {
            self.compressionLevel = try compression.validatedLevel(compressionLevel)
        } catch {
            throw LifeboatError(.invalidInput, "\(error)")
        }
        self.compressionThreads = max(1, compressionThreads)
        self.encryptionKey = encryptionKey
    }

    /// The suffix for an object's name: `.zst`, `.zst.enc` …
    public var objectSuffix: String {
        compression.fileExtension + (encryptionKey == nil ? "" : ".enc")
    }
}
