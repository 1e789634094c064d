import BackupEngine
import Testing

/// Damaged compressed objects must never decode quietly.
@Suite("Corrupt and truncated compressed input")
struct CorruptCompressedInputTests {
    static let algorithms: [CompressionAlgorithm] = [.zstd, .lz4, .gzip]

    static func compressed(_ algorithm: CompressionAlgorithm) throws -> [UInt8] {
        try feed(algorithm.makeCompressor(), TestData.pgbenchLike(count: 2 << 20, seed: 31), pieceSize: 1 << 20)
    }

    static func decodeError(_ algorithm: CompressionAlgorithm, _ bytes: [UInt8], pieceSize: Int = 65_536) throws -> CompressionError {
        try #require(throws: CompressionError.self) {
            _ = try feed(algorithm.makeDecompressor(), bytes, pieceSize: pieceSize)
        }
    }

    @Test("given a compressed object missing its last bytes, when decompressed, then it fails as truncated", arguments: algorithms)
    func truncatedEnd(algorithm: CompressionAlgorithm) throws {
        let bytes = try Self.compressed(algorithm)
        for dropped in [1, 4, 9, bytes.count / 2] {
            let error = try Self.decodeError(algorithm, Array(bytes.dropLast(dropped)))
            #expect(error.code == .truncatedInput, "dropping \(dropped) bytes: \(error)")
            #expect(error.description.contains("truncated"))
        }
    }

    @Test("given a compressed object with one flipped byte, when decompressed, then it fails as corrupt", arguments: algorithms)
    func flippedByte(algorithm: CompressionAlgorithm) throws {
        let bytes = try Self.compressed(algorithm)
        for position in [bytes.count / 3, bytes.count / 2, bytes.count - 3] {
            var damaged = bytes
            damaged[position] ^= 0x5a
            let error = try Self.decodeError(algorithm, damaged)
            #expect(error.code == .corruptInput, "flipping byte \(position): \(error)")
        }
    }

    @Test("given a complete object followed by garbage, when decompressed, then it fails", arguments: algorithms)
    func trailingGarbage(algorithm: CompressionAlgorithm) throws {
        let bytes = try Self.compressed(algorithm) + Array("this is not a frame".utf8)
        let error = try Self.decodeError(algorithm, bytes)
        #expect(error.code == .corruptInput || error.code == .truncatedInput)
    }

    @Test("given empty input, when decompressed, then it fails as truncated (a compressor always writes a frame)",
          arguments: algorithms)
    func emptyInput(algorithm: CompressionAlgorithm) throws {
        let error = try Self.decodeError(algorithm, [])
        #expect(error.code == .truncatedInput)
    }

    @Test("given data of another format, when decompressed, then it fails as corrupt", arguments: algorithms)
    func wrongFormat(algorithm: CompressionAlgorithm) throws {
        let other: CompressionAlgorithm = algorithm == .zstd ? .gzip : .zstd
        let error = try Self.decodeError(algorithm, try Self.compressed(other))
        #expect(error.code == .corruptInput)
    }
}
