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
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("LIFEBOAT_") }
        env.merge(environment) { $1 }
        env.merge(extraEnvironment) { $1 }
        let child = try ChildProcess(executable: Self.executable, arguments: arguments, environment: env)
        let fd = child.stdoutFD
        let stdout = try await runBlocking { try FileDescriptorIO.readAll(fd) }
        let (status, stderr) = try await child.waitForExit()
        return Result(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: stderr)
    }

    /// Starts `lifeboat arguments…` without waiting (for kill tests).
    public func start(_ arguments: [String]) throws -> ChildProcess {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") && !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("LIFEBOAT_") }
        env.merge(environment) { $1 }
        return try ChildProcess(executable: Self.executable, arguments: arguments, environment: env, stdout: .null)
    }
}
