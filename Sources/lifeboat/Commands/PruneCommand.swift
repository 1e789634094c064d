import ArgumentParser
import BackupEngine
import Foundation

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Apply grandfather-father-son retention to backups and the WAL archive, and clear what interrupted backups left behind.",
        discussion: """
            Decisions come from the manifests alone. The newest good backup of each kind and database is never deleted.
            Objects without a manifest count as garbage only once older than --garbage-grace (a backup may still be
            writing them); unfinished S3 multipart uploads likewise. --dry-run shows every decision and its reason.

            WAL: timeline history files are always kept. WAL is kept whole inside the PITR window — from the start LSN of
            the newest kept base backup that started before now minus --pitr-window (without the option: the oldest kept
            base backup), along the timeline history; older kept base backups keep only the WAL from their start to
            their stop LSN. WAL decisions are shown as runs of consecutive files with the same reason.

            Example: lifeboat prune --keep-last 3 --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --max-age 400d --pitr-window 7d --dry-run
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var retention: RetentionOptions
    @OptionGroup var encryption: EncryptionOptions

    @Flag(name: .customLong("dry-run"), help: "Show what would be deleted and why each backup and WAL file is kept; change nothing.")
    var dryRun = false

    func run() async throws {
        try await CommandRunner.run {
            let logger = CommandRunner.logger("prune")
            let repo = try repository.open(logger: logger)
            let report = try await Pruner(repository: repo, logger: logger).prune(
                policy: try retention.policy(), grace: try retention.graceSeconds(), dryRun: dryRun, pitrWindow: try retention.pitrWindowSeconds(),
                keyring: try encryption.keyring())
            let verb = dryRun ? "would delete" : "deleted"
            let gone = dryRun ? "DELETE" : "deleted"
            for decision in report.decisions {
                print("\(decision.keep ? "keep  " : gone) \(decision.id)  \(decision.reasons.joined(separator: "; "))")
            }
            for run in WALRetentionPlanner.runs(report.wal) {
                let files = run.count == 1 ? "WAL \(run.first)" : "WAL \(run.first)…\(run.last) (\(run.count) files)"
                print("\(run.keep ? "keep  " : gone) \(files)  \(run.reason)")
            }
            for entry in report.garbage {
                print("\(entry.remove ? gone : "keep  ") \(entry.folder)  \(entry.reason)")
            }
            for upload in report.uploads {
                print("\(upload.remove ? (dryRun ? "ABORT " : "aborted") : "keep  ") \(upload.path)  \(upload.reason)")
            }
            let walText = report.wal.isEmpty ? "" : ", \(report.walDeleted) of \(report.wal.count) WAL files"
            print("\(dryRun ? "dry run: " : "")\(verb) \(report.deleted) backups, kept \(report.kept)\(walText); \(report.garbage.filter(\.remove).count) interrupted backups and \(report.uploads.filter(\.remove).count) unfinished uploads \(dryRun ? "would be " : "")cleared")
        }
    }
}
