import BackupEngine
import Foundation
import Testing

/// Our output read by the real command line tools, and their output read by us.
@Suite("Compression interoperability with the zstd, lz4 and gzip tools")
struct CompressionToolInteropTests {
    static let tools: [(CompressionAlgorithm, String)] = [(.zstd, "zstd"), (.lz4, "lz4"), (.gzip, "gzip")]

    @Test("given a file we compressed, when the standard tool decompresses it, then it gets the original bytes",
          arguments: tools)
    func toolReadsOurs(algorithm: CompressionAlgorithm, tool: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = TestData.pgbenchLike(count: (5 << 19) + 999, seed: 21)
        let compressedFile = directory.file("dump\(algorithm.fileExtension)")
        try writeBytes(try feed(algorithm.makeCompressor(level: nil, threads: 2), input, pieceSize: 1 << 20), to: compressedFile)
        let outputFile = directory.file("dump.out")
        let result = try Tool.run(tool, ["-d", "-c", compressedFile.path], output: outputFile)
        #expect(result.status == 0, "\(tool) -d failed: \(result.standardError)")
        #expect(TestData.digest(try readBytes(outputFile)) == TestData.digest(input))
        // The tool's integrity test must pass as well (checks the content checksum).
        #expect(try Tool.run(tool, ["-t", compressedFile.path]).status == 0)
    }

    @Test("given an empty input we compressed, when the standard tool decompresses it, then it gets zero bytes",
          arguments: tools)
    func toolReadsOurEmpty(algorithm: CompressionAlgorithm, tool: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let compressedFile = directory.file("empty\(algorithm.fileExtension)")
        try writeBytes(try feed(algorithm.makeCompressor(), [], pieceSize: 1), to: compressedFile)
        let outputFile = directory.file("empty.out")
        let result = try Tool.run(tool, ["-d", "-c", compressedFile.path], output: outputFile)
        #expect(result.status == 0, "\(tool) -d failed: \(result.standardError)")
        #expect(try readBytes(outputFile).isEmpty)
    }

    @Test("given a file the standard tool compressed, when we decompress it, then we get the original bytes",
          arguments: tools)
    func weReadTools(algorithm: CompressionAlgorithm, tool: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let input = TestData.pgbenchLike(count: (3 << 20) + 4_321, seed: 22)
        let plainFile = directory.file("plain")
        try writeBytes(input, to: plainFile)
        let compressedFile = directory.file("plain\(algorithm.fileExtension)")
        let result = try Tool.run(tool, ["-c", plainFile.path], output: compressedFile)
        #expect(result.status == 0, "\(tool) failed: \(result.standardError)")
        let restored = try feed(algorithm.makeDecompressor(), try readBytes(compressedFile), pieceSize: 100_003)
        #expect(TestData.digest(restored) == TestData.digest(input))
    }

    @Test("given two files the tool compressed and concatenated, when we decompress them, then we get both contents in order",
          arguments: tools)
    func weReadConcatenatedFrames(algorithm: CompressionAlgorithm, tool: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = TestData.pgbenchLike(count: 70_000, seed: 23)
        let second = TestData.pgbenchLike(count: 50_000, seed: 24)
        var concatenated: [UInt8] = []
        for (index, part) in [first, second].enumerated() {
            let plainFile = directory.file("part\(index)")
            try writeBytes(part, to: plainFile)
            let compressedFile = directory.file("part\(index)\(algorithm.fileExtension)")
            #expect(try Tool.run(tool, ["-c", plainFile.path], output: compressedFile).status == 0)
            concatenated += try readBytes(compressedFile)
        }
        let restored = try feed(algorithm.makeDecompressor(), concatenated, pieceSize: 9_999)
        #expect(restored == first + second)
    }
}
