import BackupEngine
import Foundation
import Testing

/// A throughput check run by hand, not part of the test run:
/// `LIFEBOAT_THROUGHPUT_MB=200 swift test --skip-build --filter ThroughputCheck`.
/// Prints MB/s of zstd level 3 with 2 threads plus encryption over pgbench-like text.
@Suite("Throughput check (by hand)", .enabled(if: ProcessInfo.processInfo.environment["LIFEBOAT_THROUGHPUT_MB"] != nil))
struct ThroughputCheck {
    @Test("given ~200 MB of pgbench-like text, when compressed with zstd -3 on 2 threads and encrypted, then print MB/s")
    func zstdPlusEncryption() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["LIFEBOAT_THROUGHPUT_MB"] ?? "") ?? 200
        // A 16 MiB pattern of varied rows, repeated: generation stays out of the measurement.
        let block = TestData.pgbenchLike(count: 16 << 20, seed: 99)
        let piece = 1 << 20
        let total = megabytes << 20
        let key = EncryptionKey.generate()

        func measure(_ label: String, _ makeChain: () throws -> TransformChain) throws -> (Double, Int) {
            var chain = try makeChain()
            var produced = 0
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                var offset = 0
                while offset < total {
                    let start = offset % block.count
                    try block.withUnsafeBytes { buffer in
                        produced += try chain.update(UnsafeRawBufferPointer(rebasing: buffer[start..<start + piece])).count
                    }
                    offset += piece
                }
                produced += try chain.finish().count
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(total) / 1e6 / seconds
            print("THROUGHPUT \(label): \(total >> 20) MiB in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", rate)) MB/s, output \(produced >> 10) KiB")
            return (rate, produced)
        }

        let (compressOnly, _) = try measure("zstd -3 T2") { TransformChain([try CompressionAlgorithm.zstd.makeCompressor(level: 3, threads: 2)]) }
        let (both, _) = try measure("zstd -3 T2 + AES-256-GCM") {
            TransformChain([
                try CompressionAlgorithm.zstd.makeCompressor(level: 3, threads: 2),
                ObjectEncryptor(key: key, objectName: "bench/object.zst"),
            ])
        }
        let (encryptOnly, _) = try measure("AES-256-GCM only") { TransformChain([ObjectEncryptor(key: key, objectName: "bench/object")]) }
        #expect(compressOnly > 0 && both > 0 && encryptOnly > 0)
    }
}
