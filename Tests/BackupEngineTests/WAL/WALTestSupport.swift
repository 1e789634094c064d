import BackupEngine
import Foundation

/// Builds WAL-like files for unit tests: a long page header laid out as PostgreSQL 15's `XLogLongPageHeaderData`
/// (magic, info with XLP_LONG_HEADER, timeline, page address, remaining length, system identifier, segment size,
/// block size), then filler that compresses like real WAL.
enum SyntheticWAL {
    static func segment(system: UInt64, number: UInt64, segmentSize: UInt64 = 16 << 20, timeline: UInt32 = 1, length: Int? = nil, seed: UInt64 = 7) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length ?? Int(segmentSize))
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { for (index, byte) in $0.enumerated() { bytes[offset + index] = byte } }
        }
        put(UInt16(0xD110), at: 0)
        put(UInt16(0x0006), at: 2)
        put(timeline, at: 4)
        put(number * segmentSize, at: 8)
        put(UInt32(0), at: 16)
        put(system, at: 24)
        put(UInt32(segmentSize), at: 32)
        put(UInt32(8192), at: 36)
        // Records: repetitive text with a little randomness, about as compressible as WAL.
        var state = seed
        var offset = 40
        while offset + 64 < min(bytes.count, 1 << 20) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let line = Array("INSERT INTO pgbench_history VALUES (\(state % 100_000), \(state >> 40))".utf8)
            bytes.replaceSubrange(offset..<offset + line.count, with: line)
            offset += line.count + Int(state % 7)
        }
        return bytes
    }

    static let key = try! EncryptionKey(rawKey: Array(0..<32))
    static let otherKey = try! EncryptionKey(rawKey: Array(100..<132))

    static func options(_ compression: CompressionAlgorithm = .zstd, key: EncryptionKey? = nil) throws -> DataPathOptions {
        try DataPathOptions(compression: compression, compressionThreads: 1, encryptionKey: key)
    }
}
