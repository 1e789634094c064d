import BackupEngine
import Crypto
import Foundation
import Testing

/// Deterministic test inputs.
enum TestData {
    /// Text shaped like `pg_dump` output of `pgbench_accounts`: tab-separated numbers and blank-padded filler.
    static func pgbenchLike(count: Int, seed: UInt64 = 1) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 128)
        var state = seed &* 6_364_136_223_846_793_005 &+ 1
        var row = 1
        let filler = [UInt8](repeating: UInt8(ascii: " "), count: 84)
        while bytes.count < count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let balance = Int(truncatingIfNeeded: (state >> 33) % 20_001) - 10_000
            bytes.append(contentsOf: "\(row)\t\(row / 100_000 + 1)\t\(balance)\t".utf8)
            bytes.append(contentsOf: filler)
            bytes.append(UInt8(ascii: "\n"))
            row += 1
        }
        return Array(bytes.prefix(count))
    }

    /// Incompressible bytes.
    static func random(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A short hex digest, so that a failed comparison of megabytes prints two lines, not the bytes.
    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}

/// Feeds `input` to `transform` in pieces of `pieceSize` bytes and finishes it.
func feed(_ transform: inout some ByteTransform, _ input: [UInt8], pieceSize: Int) throws -> [UInt8] {
    var output: [UInt8] = []
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset + pieceSize)
        output.append(contentsOf: try transform.update(Array(input[offset..<end])))
        offset = end
    }
    output.append(contentsOf: try transform.finish())
    return output
}

/// Feeds `input` to an existential transform in pieces and finishes it.
func feed(_ transform: any ByteTransform, _ input: [UInt8], pieceSize: Int) throws -> [UInt8] {
    var opened = transform
    return try feed(&opened, input, pieceSize: pieceSize)
}

/// A temporary directory removed by ``remove()``.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-codecs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Runs a real command line tool with stdin and stdout redirected to files.
struct Tool {
    /// The outcome of a run.
    struct Result {
        let status: Int32
        let standardError: String
    }

    /// Runs `executable` (looked up in PATH) with `arguments`, reading `input` and writing `output`.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], input: URL? = nil, output: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
        if let output {
            _ = FileManager.default.createFile(atPath: output.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: output)
        }
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, standardError: String(decoding: errorData, as: UTF8.self))
    }
}

/// Reads a whole file as bytes.
func readBytes(_ url: URL) throws -> [UInt8] {
    Array(try Data(contentsOf: url))
}

/// Writes bytes to a file.
func writeBytes(_ bytes: [UInt8], to url: URL) throws {
    try Data(bytes).write(to: url)
}
