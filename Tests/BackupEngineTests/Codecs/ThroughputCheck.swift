import BackupEngine
import Foundation
import Testing

/// A throughput check run by hand, not part of the test run:
/// `LIFEBOAT_THROUGHPUT_MB=200 swift test --skip-build --filter ThroughputCheck`.
/// Prints MB/s of zstd level 3 with 2 threads plus encryption over pgbench-like text; with
/// `LIFEBOAT_THROUGHPUT_FILE=path` it reads that file instead (to compare with `zstd -T2 -3` on the same bytes).
@Suite(
    "Throughput check (by hand)",
    .enabled(if: ProcessInfo.processInfo.environment.keys.contains { $0.hasPrefix("LIFEBOAT_THROUGHPUT_") }))
struct ThroughputCheck {
    @Test("given ~200 MB of pgbench-like text, when compressed with zstd -3 on 2 threads and encrypted, then print MB/s")
    func zstdPlusEncryption() throws {
        let environment = ProcessInfo.processInfo.environment
        let megabytes = Int(environment["LIFEBOAT_THROUGHPUT_MB"] ?? "") ?? 200
        let piece = 1 << 20
        // A 16 MiB pattern of varied rows, repeated (generation stays out of the measurement), or a whole file.
        var block = TestData.pgbenchLike(count: 16 << 20, seed: 99)
        var total = megabytes << 20
        if let path = environment["LIFEBOAT_THROUGHPUT_FILE"] {
            block = try readBytes(URL(fileURLWithPath: path))
            total = block.count
        }
        let key = EncryptionKey.generate()

        func measure(_ label: String, _ makeChain: () throws -> TransformChain) throws -> (Double, Int) {
            var chain = try makeChain()
            var produced = 0
            let clock = ContinuousClock()
            let elapsed = try clock.measure {
                var offset = 0
                while offset < total {
                    let start = offset % block.count
                    let count = min(piece, total - offset, block.count - start)
                    try block.withUnsafeBytes { buffer in
                        produced += try chain.update(UnsafeRawBufferPointer(rebasing: buffer[start..<start + count])).count
                    }
                    offset += count
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

        // The restore direction over the stored bytes of the backup direction.
        var stored: [UInt8] = []
        var forward = TransformChain([
            try CompressionAlgorithm.zstd.makeCompressor(level: 3, threads: 2),
            ObjectEncryptor(key: key, objectName: "bench/object.zst"),
        ])
        var offset = 0
        while offset < total {
            let start = offset % block.count
            let count = min(piece, total - offset, block.count - start)
            try block.withUnsafeBytes { stored += try forward.update(UnsafeRawBufferPointer(rebasing: $0[start..<start + count])) }
            offset += count
        }
        stored += try forward.finish()
        var backward = TransformChain([
            ObjectDecryptor(keyring: EncryptionKeyring(current: key), objectName: "bench/object.zst"),
            CompressionAlgorithm.zstd.makeDecompressor(),
        ])
        var restored = 0
        let elapsed = try ContinuousClock().measure {
            var position = 0
            while position < stored.count {
                let end = min(stored.count, position + piece)
                try stored.withUnsafeBytes { restored += try backward.update(UnsafeRawBufferPointer(rebasing: $0[position..<end])).count }
                position = end
            }
            restored += try backward.finish().count
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("THROUGHPUT restore (AES-256-GCM + zstd -d): \(restored >> 20) MiB in \(String(format: "%.2f", seconds)) s = \(String(format: "%.0f", Double(restored) / 1e6 / seconds)) MB/s")
        #expect(restored == total)
        #expect(compressOnly > 0 && both > 0 && encryptOnly > 0)
    }
}
