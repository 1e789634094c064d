/// A compression algorithm for backup objects, written in its standard file format
/// (readable by the `zstd`, `lz4` and `gzip` command line tools).
public enum CompressionAlgorithm: String, Codable, Sendable, CaseIterable {
    /// Zstandard frames with a content checksum; multithreaded when asked. The default.
    case zstd
    /// LZ4 frames with a content checksum.
    case lz4
    /// A gzip stream (RFC 1952) from zlib.
    case gzip
    /// No compression: bytes pass through unchanged.
    case none

    /// The level used when none is given.
    public var defaultLevel: Int? {
        switch self {
        case .zstd: 3
        case .lz4: 0
        case .gzip: 6
        case .none: nil
        }
    }

    /// The levels accepted by ``makeCompressor(level:threads:)``; `nil` when the algorithm takes no level.
    ///
    /// zstd accepts 1...22; levels 20 and above ("ultra") need much more memory to compress and
    /// up to 128 MiB of window to decompress (long-distance mode is never enabled).
    /// lz4 levels 0...2 are the fast mode, 3...12 the high-compression mode.
    public var levelRange: ClosedRange<Int>? {
        switch self {
        case .zstd: 1...22
        case .lz4: 0...12
        case .gzip: 1...9
        case .none: nil
        }
    }

    /// The conventional file name extension, with its dot (empty for ``none``).
    public var fileExtension: String {
        switch self {
        case .zstd: ".zst"
        case .lz4: ".lz4"
        case .gzip: ".gz"
        case .none: ""
        }
    }

    /// Makes a compressor.
    ///
    /// Like every codec transform it is single-use: feed it one stream and finish it once. Copies of it
    /// share one C context, so keep a single copy in use.
    /// - Parameters:
    ///   - level: the level, within ``levelRange``; `nil` for ``defaultLevel``. ``none`` accepts only `nil`.
    ///   - threads: worker threads; only zstd uses more than one (the output is the same format either way).
    /// - Throws: ``CompressionError`` with code `invalidLevel` or `invalidThreads`, naming the valid range.
    public func makeCompressor(level: Int? = nil, threads: Int = 1) throws -> any ByteTransform {
        guard threads >= 1 else {
            throw CompressionError(
                code: .invalidThreads, algorithm: self,
                message: "the number of compression threads must be at least 1, not \(threads)")
        }
        let chosen = try validatedLevel(level)
        switch self {
        case .zstd: return try ZstdCompressor(level: chosen ?? 3, threads: threads)
        case .lz4: return try LZ4Compressor(level: chosen ?? 0)
        case .gzip: return try GzipCompressor(level: chosen ?? 6)
        case .none: return PassthroughTransform()
        }
    }

    /// Makes a decompressor of this algorithm's format. It accepts several concatenated
    /// frames (or gzip members) and throws on truncated, corrupt or trailing input. Single-use, like
    /// the compressor.
    public func makeDecompressor() -> any ByteTransform {
        switch self {
        case .zstd: ZstdDecompressor()
        case .lz4: LZ4Decompressor()
        case .gzip: GzipDecompressor()
        case .none: PassthroughTransform()
        }
    }

    /// Checks `level` against ``levelRange``.
    /// - Returns: the level, or `nil` when none was given.
    /// - Throws: ``CompressionError`` (`invalidLevel`) naming the valid range.
    public func validatedLevel(_ level: Int?) throws -> Int? {
        guard let level else { return nil }
        guard let range = levelRange else {
            throw CompressionError(
                code: .invalidLevel, algorithm: self,
                message: "compression '\(rawValue)' takes no level, but level \(level) was given")
        }
        guard range.contains(level) else {
            throw CompressionError(
                code: .invalidLevel, algorithm: self,
                message: "compression level \(level) is out of range: \(rawValue) accepts "
                    + "\(range.lowerBound)...\(range.upperBound) (default \(defaultLevel ?? range.lowerBound))")
        }
        return level
    }
}
