import ArgumentParser
import BackupEngine
import Foundation
import LifeboatAPI

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report the repository's health: the newest good backup of each kind and its age against a freshness threshold, and WAL archiving.",
        discussion: """
            Exits 0 when the check could be made, whatever it found (the verdict is in the output; the controller turns it into
            the BackupFresh and WALArchiving conditions), 1 when the repository could not be read.
            WAL archiving and base backups arrive with the physical-backup commands; until then a WAL mode other than
            `disabled` is reported as not healthy, saying why.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "A backup older than this is stale (e.g. 26h).")
    var freshness: String = "26h"

    @Option(name: .customLong("wal-mode"), help: "The policy's WAL mode: disabled, stream or archiveCommand.")
    var walMode: String = "disabled"

    func validate() throws {
        guard DurationText.parse(freshness) != nil else { throw ValidationError("--freshness \"\(freshness)\" is not a duration; write e.g. 26h") }
        guard ["disabled", "stream", "archiveCommand"].contains(walMode) else { throw ValidationError("--wal-mode must be disabled, stream or archiveCommand") }
    }

    func run() async throws {
        try await CommandRunner.run {
            let started = Date()
            let repo = try repository.open(logger: CommandRunner.logger("check"))
            let threshold = DurationText.parse(freshness)!
            var newest: [BackupManifest.Kind: BackupManifest] = [:]
            for manifest in try await repo.backups() where try await repo.verification(id: manifest.id)?.ok ?? true {
                newest[manifest.kind] = manifest
            }
            var findings: [String] = []
            if let logical = newest[.logical] {
                let age = Date().timeIntervalSince(logical.finishedAt)
                findings.append("newest logical backup \(logical.id) finished \(ByteFormat.duration(age)) ago: \(age <= threshold ? "fresh" : "STALE") (threshold \(freshness))")
            } else {
                findings.append("no good logical backup in \(repo.storage.location)")
            }
            var walHealthy: Bool?
            if walMode != "disabled" {
                walHealthy = false
                findings.append("WAL mode \(walMode): this lifeboat version does not archive WAL yet, so no WAL reaches the repository")
            }
            let check = WorkerResult.Check(
                lastLogicalBackupAt: newest[.logical].map { Timestamps.format($0.finishedAt) },
                lastBaseBackupAt: newest[.base].map { Timestamps.format($0.finishedAt) },
                walHealthy: walHealthy, message: findings.joined(separator: "; "))
            let result = WorkerResult(command: "check", ok: true, startedAt: Timestamps.format(started), finishedAt: Timestamps.format(Date()), check: check)
            if let path = output.resultPath, let data = try? result.terminationMessage() {
                try? data.write(to: URL(fileURLWithPath: path))
            }
            if output.json {
                try printJSON(result)
            } else {
                findings.forEach { print($0) }
            }
        }
    }
}
