import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// A child process (pg_dump, pg_restore, psql, initdb …) with its standard streams wired for
/// streaming: the data path reads `stdout` or writes `stdin` through raw file descriptors, and
/// `stderr` is collected (bounded) so a failure can say what the tool said.
///
/// Spawned with `posix_spawn` and reaped with `waitpid` on a thread of its own: Foundation's `Process`
/// busy-waits in `waitUntilExit` off the main thread, which a backup worker cannot afford.
public final class ChildProcess: @unchecked Sendable {
    /// How a standard stream is connected.
    public enum Stream: Sendable { case pipe, null, inherit }

    /// The program name, for messages.
    public let name: String
    /// The child's process id.
    public let pid: pid_t
    private let stdinWrite: Int32
    private let stdoutRead: Int32
    private let stderrBuffer = NIOLockedValueBox<[UInt8]>([])
    private let stderrDone = DispatchSemaphore(value: 0)
    private let exitStatus = NIOLockedValueBox<Int32?>(nil)
    private let exited = DispatchSemaphore(value: 0)

    /// File descriptor to read the child's stdout from (when `stdout: .pipe`).
    public var stdoutFD: Int32 { stdoutRead }
    /// File descriptor to write the child's stdin to (when `stdin: .pipe`).
    public var stdinFD: Int32 { stdinWrite }

    /// Starts `executable` with `arguments`. Credentials must travel in `environment`, never in `arguments`.
    public init(
        executable: String,
        arguments: [String],
        environment: [String: String]? = nil,
        stdin: Stream = .null,
        stdout: Stream = .pipe
    ) throws {
        name = (executable as NSString).lastPathComponent
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var parentEnds: [Int32] = []
        var childEnds: [Int32] = []
        func makePipe() throws -> (read: Int32, write: Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw FileDescriptorIO.posixError(errno, "creating a pipe for \(executable)") }
            // Close-on-exec keeps our ends out of every child; dup2 onto 0/1/2 clears the flag for the child's own.
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
            return (fds[0], fds[1])
        }
        var stdinWrite: Int32 = -1
        var stdoutRead: Int32 = -1
        switch stdin {
        case .pipe:
            let p = try makePipe()
            posix_spawn_file_actions_adddup2(&actions, p.read, 0)
            stdinWrite = p.write
            parentEnds.append(p.write)
            childEnds.append(p.read)
            // A larger pipe lets us decode ahead while the tool is busy with what it already has.
            _ = fcntl(p.write, 1031 /* F_SETPIPE_SZ */, 1 << 20)
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .inherit: break
        }
        switch stdout {
        case .pipe:
            let p = try makePipe()
            posix_spawn_file_actions_adddup2(&actions, p.write, 1)
            stdoutRead = p.read
            parentEnds.append(p.read)
            childEnds.append(p.write)
            // A larger pipe lets the tool run ahead while we compress and upload.
            _ = fcntl(p.read, 1031 /* F_SETPIPE_SZ */, 1 << 20)
        case .null: posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        case .inherit: break
        }
        let err = try makePipe()
        posix_spawn_file_actions_adddup2(&actions, err.write, 2)
        childEnds.append(err.write)

        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let spawned = Spawn.start(executable, arguments: arguments, environment: env, actions: &actions)
        childEnds.forEach { Glibc.close($0) }
        let pid: pid_t
        switch spawned {
        case .success(let started): pid = started
        case .failure(let error):
            parentEnds.forEach { Glibc.close($0) }
            Glibc.close(err.read)
            throw LifeboatError(.tool, "cannot start \(name) (\(executable)): \(error.description)")
        }
        self.pid = pid
        self.stdinWrite = stdinWrite
        self.stdoutRead = stdoutRead
        let buffer = stderrBuffer, done = stderrDone, errRead = err.read
        Thread.detachNewThread {
            // Keep the first and last parts of what the tool says: enough to explain a failure, bounded in memory.
            var chunk = [UInt8](repeating: 0, count: 16384)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(errRead, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                buffer.withLockedValue { stored in
                    stored.append(contentsOf: chunk[0..<n])
                    if stored.count > 256 * 1024 { stored.removeFirst(stored.count - 128 * 1024) }
                }
            }
            Glibc.close(errRead)
            done.signal()
        }
        let statusBox = exitStatus, exitedSignal = exited, childPid = pid
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(childPid, &status, 0) < 0 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG by hand (macros are not imported).
            let signal = status & 0x7f
            statusBox.withLockedValue { $0 = signal == 0 ? (status >> 8) & 0xff : 128 + signal }
            exitedSignal.signal()
        }
    }

    deinit {
        closeStdin()
        closeStdout()
    }

    private let closeLock = NIOLock()
    private var stdinClosed = false
    private var stdoutClosed = false

    /// Closes our end of the child's stdin so it sees end of input.
    public func closeStdin() {
        closeLock.withLock {
            guard stdinWrite >= 0, !stdinClosed else { return }
            stdinClosed = true
            Glibc.close(stdinWrite)
        }
    }

    /// Closes our end of the child's stdout: a child still writing gets EPIPE (or SIGPIPE) and stops.
    public func closeStdout() {
        closeLock.withLock {
            guard stdoutRead >= 0, !stdoutClosed else { return }
            stdoutClosed = true
            Glibc.close(stdoutRead)
        }
    }

    /// Stops the child: closes its pipes (a tool blocked on a full pipe may not act on signals) and sends
    /// SIGTERM, then SIGKILL if it is still there after `grace` seconds.
    public func terminate(grace: Double = 5) {
        closeStdin()
        closeStdout()
        guard exitStatus.withLockedValue({ $0 }) == nil else { return }
        kill(pid, SIGTERM)
        let exited = self.exited, pid = self.pid
        Thread.detachNewThread {
            if exited.wait(timeout: .now() + grace) == .timedOut {
                kill(pid, SIGKILL)
            } else {
                exited.signal()
            }
        }
    }

    /// Waits for the child to exit; returns its exit status (128+signal when killed) and what it wrote to stderr.
    public func waitForExit() async throws -> (status: Int32, stderr: String) {
        let exited = self.exited, done = stderrDone
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                exited.wait()
                exited.signal()
                done.wait()
                done.signal()
                continuation.resume()
            }
        }
        let text = String(decoding: stderrBuffer.withLockedValue { $0 }, as: UTF8.self)
        return (exitStatus.withLockedValue { $0 } ?? 1, text)
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
