import ArgumentParser
import BackupEngine
import Foundation
import LifeboatAPI

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Report the repository's health: the newest good backup of each kind and its age, the point-in-time recovery window, WAL continuity, and the server's WAL shipping.",
        discussion: """
            Exits 0 when the check could be made, whatever it found (the verdict is in
            the output; the controller turns it into the BackupFresh and WALArchiving
            conditions), 1 when the repository could not be read.

            Recovery window: from the end of the earliest base backup whose WAL is
            archived to the last archived commit (read from the newest segments with
            pg_waldump); missing WAL is listed per timeline.
            WAL mode archiveCommand: given a connection (PGHOST/PGPORT/PGUSER or -h/-p/-U),
            pg_stat_archiver is read (failures, the last archived segment and its age,
            and whether that segment is in this repository).
            WAL mode stream: the status wal-stream keeps in the repository (last shipped
            WAL, slot lag, wal_status, gaps), and with a connection the slot itself.
              lifeboat check --wal-mode archiveCommand --json
              lifeboat check --wal-mode stream --slot lifeboat -h db.example -U backup
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "A backup older than this is stale (e.g. 26h).")
    var freshness: String = "26h"

    @Option(name: .customLong("wal-mode"), help: "The policy's WAL mode: disabled, stream or archiveCommand.")
    var walMode: String = "disabled"

    @Option(name: .customLong("slot"), help: "With --wal-mode stream: the replication slot wal-stream uses (default: LIFEBOAT_SLOT, else lifeboat).")
    var slot: String?

    @Flag(name: .customLong("no-server"), help: "Do not connect to the server even when connection settings are present.")
    var noServer = false

    func validate() throws {
        guard DurationText.parse(freshness) != nil else { throw ValidationError("--freshness \"\(freshness)\" is not a duration; write e.g. 26h") }
        guard ["disabled", "stream", "archiveCommand"].contains(walMode) else { throw ValidationError("--wal-mode must be disabled, stream or archiveCommand") }
    }

    func run() async throws {
        try await CommandRunner.run {
            let started = Date()
            let logger = CommandRunner.logger("check")
            let repo = try repository.open(logger: logger)
            let threshold = DurationText.parse(freshness)!
            var newest: [BackupManifest.Kind: BackupManifest] = [:]
            for manifest in try await repo.backups() where try await repo.verification(id: manifest.id)?.ok ?? true {
                newest[manifest.kind] = manifest
            }
            var findings: [String] = []
            for kind in BackupManifest.Kind.allCases {
                if let backup = newest[kind] {
                    let age = Date().timeIntervalSince(backup.finishedAt)
                    findings.append("newest \(kind.rawValue) backup \(backup.id) finished \(ByteFormat.duration(age)) ago: \(age <= threshold ? "fresh" : "STALE") (threshold \(freshness))")
                } else if kind == .logical || walMode != "disabled" {
                    findings.append("no good \(kind.rawValue) backup in \(repo.storage.location)")
                }
            }
            var check = WorkerResult.Check(
                lastLogicalBackupAt: newest[.logical].map { Timestamps.format($0.finishedAt) },
                lastBaseBackupAt: newest[.base].map { Timestamps.format($0.finishedAt) })
            let archive = try await ClusterClaim.owner(of: repo).map { WALArchive(repository: repo, identity: $0) }
            let wal = try await WALArchiveCheck(archive: archive, keyring: try encryption.keyring(), binaries: try? PostgresBinaries.locate()).run()
            findings += wal.findings
            check.recoverableFrom = wal.window?.first?.time.map(Timestamps.format)
            check.recoverableTo = wal.window?.last?.time.map(Timestamps.format)
            if let first = wal.window?.first, let last = wal.window?.last { check.recoverableLSN = "\(first.lsn)-\(last.lsn)" }
            // At most ten gaps in the result: the termination message has 4 KiB.
            check.walGaps = wal.window.map { window in
                let gaps = window.gapsOnPath.map(\.description)
                return gaps.count > 10 ? Array(gaps.prefix(10)) + ["+\(gaps.count - 10) more"] : gaps
            }
            check.walLastShipped = wal.lastShipped.map(Timestamps.format)
            if walMode != "disabled" {
                var healthy = wal.healthy
                if walMode == "stream" {
                    var status: StreamStatus?
                    if let archive { status = try await StreamStatus.load(slot: slotName, identity: archive.identity, from: repo) }
                    let verdict = StreamStatusVerdict.evaluate(status, slot: slotName, newestBaseBackupAt: newest[.base]?.finishedAt)
                    healthy = healthy && verdict.healthy
                    findings += verdict.findings
                    check.lastArchivedWAL = status?.lastShippedWAL
                    check.walLagBytes = status?.slotLagBytes
                    if let shipped = status?.lastShippedAt { check.walLastShipped = Timestamps.format(shipped) }
                }
                let server = try await serverStatus()
                if let status = server?.status {
                    let verdict: (healthy: Bool, findings: [String])
                    if walMode == "stream" {
                        verdict = status.slotVerdict(slotName: slotName)
                        check.walLagBytes = status.slot?.lagBytes
                    } else {
                        let last = status.archiver?.lastArchivedWAL
                        let inRepository = try await last.asyncMap { name in try await archive?.isArchived(name) ?? false }
                        verdict = status.archiverVerdict(archivedInRepository: inRepository)
                        check.archiverFailedCount = status.archiver?.failedCount
                        check.lastArchivedWAL = last
                        if let current = status.currentLSN, let lastName = last.flatMap({ WALFileName($0, segmentSize: archive?.identity.walSegmentSize ?? WALFileName.defaultSegmentSize) }) {
                            let archivedEnd = (lastName.segmentNumber + 1) * (archive?.identity.walSegmentSize ?? WALFileName.defaultSegmentSize)
                            check.walLagBytes = Int64(current.value > archivedEnd ? current.value - archivedEnd : 0)
                        }
                    }
                    healthy = healthy && verdict.healthy
                    findings += verdict.findings
                } else if let error = server?.error {
                    healthy = false
                    findings.append("cannot ask the server about WAL shipping: \(error)")
                }
                check.walHealthy = healthy
            }
            check.message = findings.joined(separator: "; ")
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

    private var slotName: String { slot ?? ProcessInfo.processInfo.environment["LIFEBOAT_SLOT"] ?? "lifeboat" }

    /// Asks the server when connection settings are present: the status, or why it could not be read.
    private func serverStatus() async throws -> (status: WALShippingStatus?, error: String?)? {
        let env = ProcessInfo.processInfo.environment
        guard !noServer, connection.host != nil || connection.port != nil || env["PGHOST"] != nil || env["PGPORT"] != nil || env["PGSERVICE"] != nil else { return nil }
        let settings = connection.settings
        let slot = walMode == "stream" ? slotName : nil
        do {
            let status = try await runBlocking {
                let connection = try PGConnection(settings)
                defer { connection.close() }
                return try WALShippingStatus.query(connection, slot: slot)
            }
            return (status, nil)
        } catch let error as LifeboatError {
            return (nil, error.message)
        }
    }
}

extension Optional {
    fileprivate func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
