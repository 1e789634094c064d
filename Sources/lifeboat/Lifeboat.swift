import ArgumentParser
import BackupEngine
import Foundation

@main
struct Lifeboat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeboat",
        abstract: "PostgreSQL backups you can restore: logical dumps, base backups and archived WAL, into a directory or S3; verified, pruned, rehearsed.",
        discussion: """
            Connection: the standard libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE …) or -h/-p/-U.
            Repository: --repo or LIFEBOAT_REPO (file:///path or s3://bucket/prefix; S3 credentials from \
            AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
            Encryption: LIFEBOAT_ENCRYPTION_KEY or --encryption-key-file (never a flag value).

            Exit codes: 0 success; 1 failure (server, repository, tool); 2 refused input (unknown backup, missing \
            confirmation, wrong key, unreachable recovery target); 3 integrity or verification failure; 4 backup succeeded \
            but its prune failed; 64 bad command line. wal-fetch: 1 only when the file is not archived, 200 for any other \
            failure (PostgreSQL then stops recovery instead of promoting).
            """,
        version: LifeboatVersion.current,
        subcommands: [BackupCommand.self, ListCommand.self, RestoreCommand.self, VerifyCommand.self, PruneCommand.self, CheckCommand.self, DemoCommand.self,
                      WALPushCommand.self, WALFetchCommand.self, WALStreamCommand.self]
    )

    /// The command line as a command. `wal-push` and `wal-fetch` run once per WAL segment, so they are parsed on their
    /// own, without walking the whole command tree (a quarter of such a run's CPU); anything unusual about their
    /// arguments (help, an error) goes through the full parser, so its messages are the usual ones.
    static func parseCommand() throws -> any ParsableCommand {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let perSegment: [any ParsableCommand.Type] = [WALPushCommand.self, WALFetchCommand.self]
        if let name = arguments.first, let type = perSegment.first(where: { $0.configuration.commandName == name }),
           !arguments.contains(where: { $0.hasPrefix("-h") || $0.hasPrefix("--help") || $0 == "help" || $0.hasPrefix("--generate-completion") }),
           let command = try? type.parseAsRoot(Array(arguments.dropFirst())) {
            return command
        }
        return try parseAsRoot()
    }

    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        // Two malloc arenas instead of glibc's eight per core: with a thread pool handing 16 MiB WAL segments around,
        // every arena kept its own freed buffers (a background pusher grew to 450-670 MB resident; 125 MB with two).
        limitMallocArenas(2)
        do {
            var command = try parseCommand()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // A restore_command with a bad argument list must stop recovery, not look like "file not archived".
            if CommandLine.arguments.dropFirst().first == WALFetchCommand.configuration.commandName, !(error is ExitCode),
               exitCode(for: error) != .success {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(WALFetchCommand.stopRecoveryStatus)
            }
            exit(withError: error)
        }
    }
}

/// glibc's `mallopt(M_ARENA_MAX, count)`; `<malloc.h>` is not part of the Glibc module, so it is looked up by name.
private func limitMallocArenas(_ count: Int32) {
    typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
    let arenaMax: Int32 = -8  // M_ARENA_MAX
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
    _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, count)
}
