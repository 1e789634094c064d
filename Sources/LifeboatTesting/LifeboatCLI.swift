import BackupEngine
import Foundation

/// Runs the built `lifeboat` executable as a user would, and captures what it says.
public struct LifeboatCLI: Sendable {
    /// What one run produced.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout and stderr together, for message assertions.
        public var output: String { stdout + stderr }
    }

    /// The executable beside the test bundle (both live in `.build/<triple>/debug`).
    /// `lifeboat-wal`, the per-segment fast path, built beside `lifeboat`.
    public static var fastExecutable: String {
        URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("lifeboat-wal").path
    }

    public static var executable: String {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("lifeboat").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/lifeboat").path
    }

    /// Environment added to every run (PG*, LIFEBOAT_REPO, AWS_* …); the parent's PG* and AWS_* are not inherited.
    public var environment: [String: String]

    /// Creates a runner.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// Runs `lifeboat arguments…` to completion.
    public func run(_ arguments: [String], extraEnvironment: [String: String] = [:]) async throws -> Result {
        let child = try ChildProcess(executable: Self.executable, arguments: arguments, environment: childEnvironment(extraEnvironment))
        let fd = child.stdoutFD
        let stdout = try await runBlocking { try FileDescriptorIO.readAll(fd) }
        let (status, stderr) = try await child.waitForExit()
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: stderr)
    }

    /// Starts `lifeboat arguments…` without waiting (for kill tests).
    public func start(_ arguments: [String]) throws -> ChildProcess {
        try ChildProcess(executable: Self.executable, arguments: arguments, environment: childEnvironment([:]), stdout: .null)
    }

    /// Our environment without the parent's PG*, AWS_* and LIFEBOAT_* settings, plus this runner's and `extra`.
    private func childEnvironment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment
            .filter { !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("LIFEBOAT_") }
            .merging(environment) { $1 }
            .merging(extra) { $1 }
    }
}
