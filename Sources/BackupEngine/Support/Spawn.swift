import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `posix_spawn` as every child of lifeboat is started: the child begins with no blocked signals and default
/// dispositions for the ones we change or a parent may have (test runners block SIGTERM, and lifeboat ignores SIGPIPE,
/// both of which a child would inherit), optionally in a session of its own.
enum Spawn {
    /// Starts `executable` with `arguments` and `environment` (`NAME=value` strings) and the file actions set up in
    /// `actions`; returns the child's pid, or posix_spawn's error number.
    static func start(_ executable: String, arguments: [String], environment: [String], actions: inout posix_spawn_file_actions_t,
                      newSession: Bool = false) -> Result<pid_t, Errno> {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let setsid: Int32 = newSession ? 0x80 /* POSIX_SPAWN_SETSID */ : 0
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return result == 0 ? .success(pid) : .failure(Errno(code: result))
    }

    /// An error number from posix_spawn.
    struct Errno: Error {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }
}
