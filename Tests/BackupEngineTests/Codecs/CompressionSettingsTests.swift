import BackupEngine
import Foundation
import Testing

@Suite("Compression settings")
struct CompressionSettingsTests {
    static let invalidLevels: [(CompressionAlgorithm, Int, String)] = [
        (.zstd, 0, "1...22"), (.zstd, 23, "1...22"), (.zstd, -5, "1...22"),
        (.lz4, -1, "0...12"), (.lz4, 13, "0...12"),
        (.gzip, 0, "1...9"), (.gzip, 10, "1...9"),
        (.none, 1, "takes no level"),
    ]

    @Test("given a level outside the algorithm's range, when making a compressor, then the error names the valid range",
          arguments: invalidLevels)
    func invalidLevel(algorithm: CompressionAlgorithm, level: Int, expected: String) throws {
        let error = try #require(throws: CompressionError.self) { try algorithm.makeCompressor(level: level, threads: 1) }
        #expect(error.code == .invalidLevel)
        #expect(error.description.contains(expected))
        #expect(error.description.contains("\(level)"))
    }

    @Test("given zero threads, when making a compressor, then it is refused")
    func invalidThreads() throws {
        let error = try #require(throws: CompressionError.self) { try CompressionAlgorithm.zstd.makeCompressor(level: nil, threads: 0) }
        #expect(error.code == .invalidThreads)
    }

    @Test("given each algorithm, then its extension, default level and range are the documented ones")
    func properties() {
        #expect(CompressionAlgorithm.allCases.map(\.fileExtension) == [".zst", ".lz4", ".gz", ""])
        #expect(CompressionAlgorithm.allCases.map(\.defaultLevel) == [3, 0, 6, nil])
        for algorithm in CompressionAlgorithm.allCases {
            if let level = algorithm.defaultLevel {
                #expect(algorithm.levelRange?.contains(level) == true)
            } else {
                #expect(algorithm.levelRange == nil)
            }
        }
        #expect(CompressionAlgorithm(rawValue: "zstd") == .zstd)
        #expect(CompressionAlgorithm(rawValue: "brotli") == nil)
    }

    @Test("given our zstd and lz4 output, then every frame declares a content checksum (bit 2 of the frame descriptor)",
          arguments: [(CompressionAlgorithm.zstd, [UInt8]([0x28, 0xb5, 0x2f, 0xfd])), (.lz4, [0x04, 0x22, 0x4d, 0x18])])
    func contentChecksumDeclared(algorithm: CompressionAlgorithm, magic: [UInt8]) throws {
        for threads in [1, 2] {
            let compressed = try feed(algorithm.makeCompressor(level: nil, threads: threads), TestData.pgbenchLike(count: 10_000), pieceSize: 10_000)
            #expect(Array(compressed.prefix(4)) == magic)
            #expect(compressed[4] & 0b100 != 0, "content checksum flag not set with \(threads) threads")
        }
    }

    @Test("given our gzip output, then it is a gzip member (magic 1f 8b, deflate) rather than a bare zlib stream")
    func gzipHeader() throws {
        let compressed = try feed(CompressionAlgorithm.gzip.makeCompressor(), TestData.pgbenchLike(count: 10_000), pieceSize: 10_000)
        #expect(Array(compressed.prefix(3)) == [0x1f, 0x8b, 0x08])
    }

    @Test("given the algorithms, when encoded as JSON for a manifest, then they are their lowercase names and decode back")
    func codable() throws {
        let encoded = try JSONEncoder().encode(CompressionAlgorithm.allCases)
        #expect(String(decoding: encoded, as: UTF8.self) == #"["zstd","lz4","gzip","none"]"#)
        #expect(try JSONDecoder().decode([CompressionAlgorithm].self, from: encoded) == CompressionAlgorithm.allCases)
    }
}
