import Foundation
import LifeboatTesting
import Logging

/// Helpers shared by the S3 client's tests.
enum S3TestSupport {
    static let python: String? = S3FixtureSupport.executable(named: "python3")

    /// Whether python3 can import botocore (the botocore comparison is skipped, saying so, otherwise).
    static let botocoreAvailable: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import botocore.auth"], input: Data())) != nil
    }()

    /// Runs a program to completion with `input` on stdin; returns stdout, throws with stderr on failure.
    static func run(_ executable: String, _ arguments: [String], input: Data) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("s3-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inputURL = directory.appendingPathComponent("stdin")
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        let output = try Data(contentsOf: outputURL)
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            throw S3TestFailure("\(executable) exited with \(process.terminationStatus): \(errors.suffix(2000))")
        }
        return output
    }

    /// A logger that keeps every message in memory, to check what reaches the logs.
    static func capturingLogger() -> (Logger, LogCapture) {
        let capture = LogCapture()
        let logger = Logger(label: "s3-test") { _ in CapturingHandler(capture: capture) }
        return (logger, capture)
    }
}

struct S3TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Lines logged through ``CapturingHandler``.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    func append(_ line: String) { lock.withLock { storage.append(line) } }
    var lines: [String] { lock.withLock { storage } }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = self.metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
