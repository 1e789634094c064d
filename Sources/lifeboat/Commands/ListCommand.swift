import ArgumentParser
import BackupEngine
import Foundation

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the backups in the repository (only complete ones: a backup exists once its manifest is written).",
        discussion: """
            Logical backups show their databases; base backups show the timeline and the LSN range (start–stop) they need
            WAL for: recovery from one replays WAL from its start LSN and is consistent once past its stop LSN.
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(name: .long, help: "Print JSON for programs instead of a table.")
    var json = false

    /// One row of the listing.
    struct Row: Encodable {
        var id: String
        var kind: String
        var databases: [String]
        var startedAt: Date
        var finishedAt: Date
        var durationSeconds: Double
        var sizeBytes: Int64
        var storedBytes: Int64
        var compression: String
        var encrypted: Bool
        var serverVersion: String
        var verification: String
        var verifiedAt: Date?
        /// Base backups: the timeline it started on.
        var timeline: UInt32?
        /// Base backups: start LSN (recovery replays WAL from here).
        var startLSN: String?
        /// Base backups: stop LSN (consistent from here).
        var stopLSN: String?
        /// Base backups: the first and last WAL segment it needs.
        var startWAL: String?
        var stopWAL: String?
        /// Base backups: the cluster's system identifier.
        var systemIdentifier: String?
    }

    func run() async throws {
        try await CommandRunner.run {
            let repo = try repository.open(logger: CommandRunner.logger("list"))
            var rows: [Row] = []
            for manifest in try await repo.backups() {
                let verification = try await repo.verification(id: manifest.id)
                rows.append(Row(
                    id: manifest.id, kind: manifest.kind.rawValue, databases: manifest.databases.map(\.name), startedAt: manifest.startedAt,
                    finishedAt: manifest.finishedAt, durationSeconds: manifest.duration, sizeBytes: manifest.plainBytes, storedBytes: manifest.storedBytes,
                    compression: manifest.compression, encrypted: manifest.encryptionKeyId != nil, serverVersion: manifest.serverVersion,
                    verification: VerificationRecord.state(verification), verifiedAt: verification?.verifiedAt,
                    timeline: manifest.physical?.timeline, startLSN: manifest.physical?.startLSN.description, stopLSN: manifest.physical?.stopLSN.description,
                    startWAL: manifest.physical?.startWAL, stopWAL: manifest.physical?.stopWAL, systemIdentifier: manifest.physical?.systemIdentifier))
            }
            if json {
                try printJSON(rows)
                return
            }
            guard !rows.isEmpty else {
                print("no backups in \(repo.storage.location)")
                return
            }
            let header = ["ID", "KIND", "DATABASES / TIMELINE LSN RANGE", "STARTED (UTC)", "DURATION", "SIZE", "STORED", "PG", "VERIFIED"]
            let table = rows.map { row in
                [row.id, row.kind, Self.contents(row), Self.shortTime(row.startedAt), ByteFormat.duration(row.durationSeconds),
                 ByteFormat.string(row.sizeBytes), ByteFormat.string(row.storedBytes) + (row.encrypted ? " enc" : ""), row.serverVersion, row.verification]
            }
            print(TextTable.render(header: header, rows: table))
        }
    }

    /// What a backup holds: its databases, or for a base backup its timeline and LSN range.
    static func contents(_ row: Row) -> String {
        guard let timeline = row.timeline, let start = row.startLSN, let stop = row.stopLSN else { return row.databases.joined(separator: ",") }
        return "timeline \(timeline) \(start)–\(stop)"
    }

    static func shortTime(_ date: Date) -> String {
        String(Timestamps.format(date).prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}

/// Left-aligned columns separated by two spaces.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
