import Foundation
import NIOConcurrencyHelpers

/// A child process (pg_dump, pg_restore, psql, initdb …) with its standard streams wired for
/// streaming: the data path reads `stdout` or writes `stdin` through raw file descriptors, and
/// `stderr` is collected (bounded) so a failure can say what the tool said.
public final class ChildProcess: @unchecked Sendable {
    /// How a standard stream is connected.
    public enum Stream: Sendable { case pipe, null, inherit }

    private let process = Process()
    private let stdinPipe: Pipe?
    private let stdoutPipe: Pipe?
    private let stderrPipe = Pipe()
    private let stderrBuffer = NIOLockedValueBox<[UInt8]>([])
    private let stderrDone = DispatchSemaphore(value: 0)
    /// The program name, for messages.
    public let name: String

    /// File descriptor to read the child's stdout from (when `stdout: .pipe`).
    public var stdoutFD: Int32 { stdoutPipe!.fileHandleForReading.fileDescriptor }
    /// File descriptor to write the child's stdin to (when `stdin: .pipe`).
    public var stdinFD: Int32 { stdinPipe!.fileHandleForWriting.fileDescriptor }
    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Starts `executable` with `arguments`. Credentials must travel in `environment`, never in `arguments`.
    public init(
        executable: String,
        arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: String? = nil,
        stdin: Stream = .null,
        stdout: Stream = .pipe
    ) throws {
        name = (executable as NSString).lastPathComponent
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        switch stdin {
        case .pipe: stdinPipe = Pipe(); process.standardInput = stdinPipe
        case .null: stdinPipe = nil; process.standardInput = FileHandle.nullDevice
        case .inherit: stdinPipe = nil
        }
        switch stdout {
        case .pipe: stdoutPipe = Pipe(); process.standardOutput = stdoutPipe
        case .null: stdoutPipe = nil; process.standardOutput = FileHandle.nullDevice
        case .inherit: stdoutPipe = nil
        }
        process.standardError = stderrPipe
        do {
            try process.run()
        } catch {
            throw LifeboatError(.tool, "cannot start \(name) (\(executable)): \(error.localizedDescription)", cause: error)
        }
        let handle = stderrPipe.fileHandleForReading
        let buffer = stderrBuffer
        let done = stderrDone
        DispatchQueue.global().async {
            // Keep the first and last parts of what the tool says: enough to explain a failure, bounded in memory.
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                buffer.withLockedValue { stored in
                    stored.append(contentsOf: data)
                    if stored.count > 256 * 1024 { stored.removeFirst(stored.count - 128 * 1024) }
                }
            }
            done.signal()
        }
    }

    /// Closes our end of the child's stdin so it sees end of input.
    public func closeStdin() {
        try? stdinPipe?.fileHandleForWriting.close()
    }

    /// Closes our end of the child's stdout (used when we stop reading early).
    public func closeStdout() {
        try? stdoutPipe?.fileHandleForReading.close()
    }

    /// Asks the child to stop (SIGTERM).
    public func terminate() {
        if process.isRunning { process.terminate() }
    }

    /// Waits for the child to exit; returns its exit status (128+signal when killed) and what it wrote to stderr.
    public func waitForExit() async throws -> (status: Int32, stderr: String) {
        let process = self.process
        let done = stderrDone
        try await runBlocking {
            process.waitUntilExit()
            done.wait()
        }
        let text = String(decoding: stderrBuffer.withLockedValue { $0 }, as: UTF8.self)
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (status, text)
    }

    /// Waits for the child and throws a `LifeboatError` carrying its stderr when it did not exit 0.
    @discardableResult
    public func checkSuccess(_ what: String) async throws -> String {
        let (status, stderr) = try await waitForExit()
        guard status == 0 else {
            throw ToolFailure.classify(tool: name, what: what, status: status, stderr: stderr)
        }
        return stderr
    }

    /// Runs a program to completion and returns its stdout; throws with its stderr when it fails.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, what: String
    ) async throws -> String {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment)
        let fd = child.stdoutFD
        let output = try await runBlocking { try FileDescriptorIO.readAll(fd) }
        try await child.checkSuccess(what)
        return String(decoding: output, as: UTF8.self)
    }
}
