import ArgumentParser
import BackupEngine
import Foundation

@main
struct Lifeboat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lifeboat",
        abstract: "PostgreSQL backups you can restore: logical dumps into a directory or S3, verified, pruned, rehearsed.",
        discussion: """
            Connection: the standard libpq environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE …) or -h/-p/-U.
            Repository: --repo or LIFEBOAT_REPO (file:///path or s3://bucket/prefix; S3 credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
            Encryption: LIFEBOAT_ENCRYPTION_KEY or --encryption-key-file (never a flag value).

            Exit codes: 0 success; 1 failure (server, repository, tool); 2 refused input (unknown backup, missing
            confirmation, wrong key); 3 integrity or verification failure; 4 backup succeeded but its prune failed;
            64 bad command line. wal-fetch: 1 only when the file is not archived, 200 for any other failure (stops recovery).
            """,
        version: LifeboatVersion.current,
        subcommands: [BackupCommand.self, ListCommand.self, RestoreCommand.self, VerifyCommand.self, PruneCommand.self, CheckCommand.self, DemoCommand.self,
                      WALPushCommand.self, WALFetchCommand.self, WALStreamCommand.self]
    )

    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
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
