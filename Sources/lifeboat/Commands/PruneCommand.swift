import ArgumentParser
import BackupEngine
import Foundation

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Apply grandfather-father-son retention, and clear what interrupted backups left behind.",
        discussion: """
            Decisions come from the manifests alone. The newest good backup of each kind and database is never deleted.
            Objects without a manifest count as garbage only once older than --garbage-grace (a backup may still be
            writing them); unfinished S3 multipart uploads likewise. --dry-run shows every decision and its reason.

            Example: lifeboat prune --keep-last 3 --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --max-age 400d --dry-run
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var retention: RetentionOptions

    @Flag(name: .customLong("dry-run"), help: "Show what would be deleted and why each backup is kept; change nothing.")
    var dryRun = false

    func run() async throws {
        try await CommandRunner.run {
            let logger = CommandRunner.logger("prune")
            let repo = try repository.open(logger: logger)
            let report = try await Pruner(repository: repo, logger: logger).prune(policy: try retention.policy(), grace: try retention.graceSeconds(), dryRun: dryRun)
            let verb = dryRun ? "would delete" : "deleted"
            for decision in report.decisions {
                print("\(decision.keep ? "keep  " : (dryRun ? "DELETE" : "deleted")) \(decision.id)  \(decision.reasons.joined(separator: "; "))")
            }
            for entry in report.garbage {
                print("\(entry.remove ? (dryRun ? "DELETE" : "deleted") : "keep  ") \(entry.id)  \(entry.reason)")
            }
            for upload in report.uploads {
                print("\(upload.remove ? (dryRun ? "ABORT " : "aborted") : "keep  ") \(upload.path)  \(upload.reason)")
            }
            print("\(dryRun ? "dry run: " : "")\(verb) \(report.deleted) backups, kept \(report.kept); \(report.garbage.filter(\.remove).count) interrupted backups and \(report.uploads.filter(\.remove).count) unfinished uploads \(dryRun ? "would be " : "")cleared")
        }
    }
}
