import ArgumentParser
import BackupEngine
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop on a throwaway local PostgreSQL: sample data → encrypted backup → list → verify (test restore) → restore into a new database → compare → report → clean up.",
        discussion: "Needs only PostgreSQL's programs (Debian: postgresql-15). Works as an ordinary user and as root (PostgreSQL then runs as the postgres user).")

    @Flag(name: .long, help: "Keep the throwaway cluster and repository, and print where they are.")
    var keep = false

    @Option(name: .long, help: "Rows in the largest sample table.")
    var rows: Int = 20_000

    @Flag(name: [.customShort("q"), .long], help: "No progress lines.")
    var quiet = false

    func run() async throws {
        try await CommandRunner.run {
            let report = try await DemoRun(logger: CommandRunner.logger("demo"), keep: keep, scale: rows).run(quiet: quiet) { line in print(line) }
            guard report.ok else { throw ExitCode(3) }
            print("demo OK")
        }
    }
}
