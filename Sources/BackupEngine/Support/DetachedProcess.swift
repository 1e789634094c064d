import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts a process that outlives its parent: its own session (so a signal to the parent's process group, such as
/// PostgreSQL stopping its archiver, does not reach it mid-write), standard input and output on /dev/null, standard
/// error appended to a log file. Nobody waits for it; when the parent exits first, init reaps it.
///
/// Used for the background halves of `wal-push --async`; credentials travel in the inherited environment, never in
/// `arguments`.
public enum DetachedProcess {
    /// This process's own executable, to start a background copy of it.
    public static func currentExecutable() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { throw FileDescriptorIO.posixError(errno, "finding this program's path in /proc/self/exe") }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Starts `executable` with `arguments`, its standard error appended to `logFile`. Returns its process id.
    @discardableResult
    public static func start(executable: String, arguments: [String], logFile: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        switch Spawn.start(executable, arguments: arguments, environment: environment, actions: &actions, newSession: true) {
        case .success(let pid): return pid
        case .failure(let error): throw LifeboatError(.tool, "cannot start \(executable) in the background: \(error.description)")
        }
    }
}
