import BackupEngine
import Testing

@Suite("Compression round trips")
struct CompressionRoundTripTests {
    static let sizes = [0, 1, 1 << 20, 3 * (1 << 20) + 12_345]

    @Test(
        "given any algorithm and input size, when compressed and decompressed in odd-sized pieces, then the bytes come back unchanged",
        arguments: CompressionAlgorithm.allCases, sizes)
    func roundTrip(algorithm: CompressionAlgorithm, size: Int) throws {
        let input = TestData.pgbenchLike(count: size)
        let compressed = try feed(algorithm.makeCompressor(level: nil, threads: 1), input, pieceSize: 4_093)
        let restored = try feed(algorithm.makeDecompressor(), compressed, pieceSize: 7_919)
        #expect(restored.count == input.count)
        #expect(TestData.digest(restored) == TestData.digest(input))
        if algorithm != .none && size > 1 << 20 {
            #expect(compressed.count < input.count / 3, "pgbench-like text should compress well")
        }
        if algorithm == .none {
            #expect(compressed == input)
        }
    }

    @Test(
        "given a small input, when fed and decoded one byte at a time, then the bytes come back unchanged",
        arguments: CompressionAlgorithm.allCases)
    func oneByteAtATime(algorithm: CompressionAlgorithm) throws {
        let input = TestData.pgbenchLike(count: 5_000, seed: 7)
        let compressed = try feed(algorithm.makeCompressor(), input, pieceSize: 1)
        let restored = try feed(algorithm.makeDecompressor(), compressed, pieceSize: 1)
        #expect(restored == input)
    }

    @Test(
        "given a large input fed at once, when compressed and decompressed in one call each, then the bytes come back unchanged",
        arguments: CompressionAlgorithm.allCases)
    func wholeBuffer(algorithm: CompressionAlgorithm) throws {
        let input = TestData.pgbenchLike(count: 5 * (1 << 20) + 3, seed: 3)
        var compressor = try algorithm.makeCompressor()
        let compressed = try compressor.transformAll(input)
        var decompressor = algorithm.makeDecompressor()
        let restored = try decompressor.transformAll(compressed)
        #expect(TestData.digest(restored) == TestData.digest(input))
    }

    @Test("given zstd with two worker threads, when compressing 12 MiB, then it decompresses to the same bytes")
    func zstdMultithreaded() throws {
        let input = TestData.pgbenchLike(count: 12 << 20, seed: 5)
        let compressed = try feed(CompressionAlgorithm.zstd.makeCompressor(level: 3, threads: 2), input, pieceSize: 1 << 20)
        let restored = try feed(CompressionAlgorithm.zstd.makeDecompressor(), compressed, pieceSize: 1 << 20)
        #expect(TestData.digest(restored) == TestData.digest(input))
        #expect(compressed.count < input.count / 3)
    }

    @Test(
        "given random (incompressible) bytes, when compressed and decompressed, then they come back unchanged",
        arguments: CompressionAlgorithm.allCases)
    func incompressible(algorithm: CompressionAlgorithm) throws {
        let input = TestData.random(count: (1 << 20) + 77)
        let compressed = try feed(algorithm.makeCompressor(), input, pieceSize: 65_537)
        let restored = try feed(algorithm.makeDecompressor(), compressed, pieceSize: 65_521)
        #expect(restored == input)
        #expect(compressed.count < input.count + input.count / 100 + 1_024, "expansion stays small")
    }

    static let levelBoundCases: [(CompressionAlgorithm, Int)] = CompressionAlgorithm.allCases.flatMap { algorithm in
        algorithm.levelRange.map { [(algorithm, $0.lowerBound), (algorithm, $0.upperBound)] } ?? []
    }

    @Test("given the lowest and highest valid level, when compressing, then the output round-trips", arguments: levelBoundCases)
    func levelBounds(algorithm: CompressionAlgorithm, level: Int) throws {
        let input = TestData.pgbenchLike(count: 300_000, seed: 11)
        let compressed = try feed(algorithm.makeCompressor(level: level, threads: 1), input, pieceSize: 100_000)
        let restored = try feed(algorithm.makeDecompressor(), compressed, pieceSize: 100_000)
        #expect(restored == input)
    }

    @Test("given a higher level, when compressing the same text, then the output is not larger than at the lowest level",
          arguments: [CompressionAlgorithm.zstd, .lz4, .gzip])
    func levelsMatter(algorithm: CompressionAlgorithm) throws {
        let input = TestData.pgbenchLike(count: 1 << 20, seed: 13)
        let range = try #require(algorithm.levelRange)
        let low = try feed(algorithm.makeCompressor(level: range.lowerBound), input, pieceSize: 1 << 20)
        let high = try feed(algorithm.makeCompressor(level: min(range.upperBound, 9)), input, pieceSize: 1 << 20)
        #expect(high.count < low.count)
    }
}
