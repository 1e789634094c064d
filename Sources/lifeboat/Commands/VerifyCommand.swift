import ArgumentParser
import BackupEngine
import Foundation

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a backup: every object's SHA-256 and authentication, each dump's table of contents, and with --restore a real test restore whose row counts must match those recorded in the dump's snapshot.",
        discussion: """
            --restore local   starts a throwaway PostgreSQL on this machine (needs the server binaries) and restores there.
            --restore server  restores into a scratch database on the server given by -h/-p/-U or PG*, then drops it.
            The outcome is recorded beside the backup and shown by `lifeboat list`. Exit 3 when the backup is damaged.
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "Backup id, or `latest`.")
    var backup: String = "latest"

    @Option(name: .long, help: "Also do a test restore: `local` (throwaway cluster) or `server` (scratch database).")
    var restore: String?

    func validate() throws {
        if let restore, !["local", "server"].contains(restore) { throw ValidationError("--restore must be local or server") }
    }

    func run() async throws {
        try await CommandRunner.run {
            let logger = CommandRunner.logger("verify")
            let repo = try repository.open(logger: logger)
            let target: BackupVerifier.RestoreTarget = switch restore {
            case "local": .localCluster
            case "server": .server(connection.settings)
            default: .none
            }
            let report = try await BackupVerifier(repository: repo, binaries: try PostgresBinaries.locate(), logger: logger)
                .verify(backup, keyring: try encryption.keyring(), restore: target, progress: output.progress("verify"))
            if report.ok {
                let tables = report.tablesCompared > 0 ? ", test restore: \(report.tablesCompared) tables' row counts match the backup's snapshot" : ""
                print("backup \(report.backup.id) OK: \(report.objectsChecked) objects intact, \(report.tocEntries.values.reduce(0, +)) table-of-contents entries\(tables)")
            } else {
                print("backup \(report.backup.id) FAILED verification:")
                for problem in report.problems { print("  - \(problem)") }
                throw ExitCode(3)
            }
        }
    }
}
