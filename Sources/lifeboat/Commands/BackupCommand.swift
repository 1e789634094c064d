import ArgumentParser
import BackupEngine
import Foundation
import LifeboatAPI
import Logging

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a logical backup of databases (pg_dump), or a physical base backup of the whole cluster (--kind base).",
        discussion: """
            The custom format (default) streams pg_dump → compression → encryption → SHA-256 → repository in one pass,
            with no copy on local disk. The directory format (--format directory) runs pg_dump with parallel jobs
            for large databases with many tables; it needs local scratch space (--scratch-dir) for the files
            pg_dump is writing, about the size of the largest table uncompressed, checked before starting. Each file
            is uploaded as soon as pg_dump closes it.

            Rows of every table are counted in the dump's own snapshot, so `lifeboat verify --restore` can compare.
            With --prune, retention runs after a successful backup; its outcome is reported separately and a failed
            prune never marks the backup failed (exit 4).

            A base backup (--kind base) streams `pg_basebackup -D - -Ft -X none` (a replication connection from the same
            PG* settings; the user needs the REPLICATION attribute) into clusters/<system id>-pg<major>/<timeline>/base/<id>/.
            It is published only once the WAL from its start to its stop segment is in the repository (archive_command
            = 'lifeboat wal-push %p', or `lifeboat wal-stream`): lifeboat waits up to --wal-timeout for it. Compression
            runs on the client by default, keeping PostgreSQL's backup_manifest (see docs/FORMAT.md for the measurements);
            --compression-side server moves it to the database server. One tablespace only (PostgreSQL 15 streams no more).

            Examples:
              PGHOST=db.internal PGUSER=backup PGPASSWORD=… LIFEBOAT_REPO=s3://backups/prod \\
                lifeboat backup --database app --prune --keep-daily 7 --keep-weekly 4
              lifeboat backup --kind base --wal-timeout 10m
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "logical (pg_dump of databases, default) or base (pg_basebackup of the whole cluster).")
    var kind: String = "logical"

    @Option(name: .long, help: "Base backups: fast (an immediate checkpoint, default) or spread (gentler on the server, slower to start).")
    var checkpoint: String = "fast"

    @Option(name: .customLong("compression-side"), help: "Base backups: client (lifeboat compresses, PostgreSQL's backup_manifest kept; default) or server (pg_basebackup --compress=server-zstd, no backup_manifest; needs archive_command archiving).")
    var compressionSide: String = "client"

    @Option(name: .customLong("wal-timeout"), help: "Base backups: how long to wait for the WAL from the backup's start to its stop segment to reach the repository (e.g. 5m).")
    var walTimeout: String = "5m"

    @Option(name: [.customShort("d"), .customLong("database")], help: "Database to back up (repeatable).")
    var databases: [String] = []

    @Flag(name: .customLong("all-databases"), help: "Back up every database that is not a template and accepts connections.")
    var allDatabases = false

    @Flag(name: .customLong("no-globals"), help: "Skip roles and tablespaces (pg_dumpall --globals-only).")
    var noGlobals = false

    @Flag(name: .customLong("schema-only"), help: "Dump definitions only, no data.")
    var schemaOnly = false

    @Option(name: [.customShort("n"), .customLong("schema")], help: "Dump only schemas matching this pattern (repeatable).")
    var schemas: [String] = []

    @Option(name: [.customShort("N"), .customLong("exclude-schema")], help: "Skip schemas matching this pattern (repeatable).")
    var excludeSchemas: [String] = []

    @Option(name: [.customShort("t"), .customLong("table")], help: "Dump only tables matching this pattern (repeatable).")
    var tables: [String] = []

    @Option(name: [.customShort("T"), .customLong("exclude-table")], help: "Skip tables matching this pattern (repeatable).")
    var excludeTables: [String] = []

    @Option(name: .long, help: "custom (streamed, default) or directory (parallel; needs --scratch-dir space).")
    var format: String = "custom"

    @Option(name: [.customShort("j"), .long], help: "pg_dump parallel jobs (directory format).")
    var jobs: Int = 2

    @Option(name: .customLong("scratch-dir"), help: "Local folder for the directory format's files in flight (default: TMPDIR or /tmp).")
    var scratchDirectory: String?

    @Option(name: .long, help: "zstd (default), lz4, gzip or none.")
    var compression: String = "zstd"

    @Option(name: .customLong("compression-level"), help: "Compression level (zstd 1-19, default 3; lz4 0-12; gzip 1-9).")
    var compressionLevel: Int?

    @Option(name: .customLong("compression-threads"), help: "zstd worker threads.")
    var compressionThreads: Int = 2

    @Flag(name: .customLong("no-row-counts"), help: "Do not count rows in the dump's snapshot (saves a scan of every table; verify --restore then cannot compare counts).")
    var noRowCounts = false

    @Flag(name: .customLong("prune"), help: "Apply retention after a successful backup (see the retention options).")
    var prune = false

    @OptionGroup(title: "Retention (with --prune)") var retention: RetentionOptions

    func validate() throws {
        guard ["logical", "base"].contains(kind) else { throw ValidationError("--kind must be logical or base") }
        if kind == "base" {
            guard databases.isEmpty, !allDatabases else { throw ValidationError("a base backup copies the whole cluster; --database and --all-databases are for --kind logical") }
            guard ["fast", "spread"].contains(checkpoint) else { throw ValidationError("--checkpoint must be fast or spread") }
            guard BaseBackupRequest.CompressionSide(rawValue: compressionSide) != nil else { throw ValidationError("--compression-side must be client or server") }
            guard let timeout = DurationText.parse(walTimeout), timeout > 0 else { throw ValidationError("--wal-timeout \"\(walTimeout)\" is not a duration; write e.g. 5m") }
            guard BackupEngine.CompressionAlgorithm(rawValue: compression) != nil else { throw ValidationError("--compression must be one of zstd, lz4, gzip, none") }
            if prune { _ = try retention.policy() }
            return
        }
        guard allDatabases || !databases.isEmpty else { throw ValidationError("name a database with --database (repeatable) or use --all-databases") }
        guard !(allDatabases && !databases.isEmpty) else { throw ValidationError("--database and --all-databases exclude each other") }
        guard ["custom", "directory"].contains(format) else { throw ValidationError("--format must be custom or directory") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard BackupEngine.CompressionAlgorithm(rawValue: compression) != nil else { throw ValidationError("--compression must be one of zstd, lz4, gzip, none") }
        if prune { _ = try retention.policy() }
    }

    func run() async throws {
        try await CommandRunner.run {
            let logger = CommandRunner.logger("backup")
            let started = Date()
            let repo = try repository.open(logger: logger)
            let dataPath = try DataPathOptions(
                compression: BackupEngine.CompressionAlgorithm(rawValue: compression)!, compressionLevel: compressionLevel,
                compressionThreads: compressionThreads, encryptionKey: try encryption.key())
            if kind == "base" {
                try await runBase(repo: repo, dataPath: dataPath, logger: logger, started: started)
                return
            }
            let scratch = scratchDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            let request = LogicalBackupRequest(
                connection: connection.settings, databases: databases, allDatabases: allDatabases, includeGlobals: !noGlobals,
                schemaOnly: schemaOnly, includeSchemas: schemas, excludeSchemas: excludeSchemas, includeTables: tables,
                excludeTables: excludeTables, format: format == "directory" ? .directory(jobs: jobs, scratch: scratch) : .custom,
                countRows: !noRowCounts, dataPath: dataPath)
            let manifest: BackupManifest
            do {
                manifest = try await LogicalBackup(repository: repo, binaries: try PostgresBinaries.locate(), logger: logger)
                    .run(request, progress: output.progress("backup"))
            } catch let error as LifeboatError {
                writeResult(WorkerResult(command: "backup", ok: false, kind: .logical, databases: databases, startedAt: Timestamps.format(started), finishedAt: Timestamps.format(Date()), error: .init(code: error.code.rawValue, message: error.message)))
                throw error
            }
            let ratio = manifest.storedBytes > 0 ? Double(manifest.plainBytes) / Double(manifest.storedBytes) : 0
            var summary = "backup \(manifest.id) of \(manifest.databases.map(\.name).joined(separator: ", ")): \(ByteFormat.string(manifest.plainBytes)) dumped, \(ByteFormat.string(manifest.storedBytes)) stored (\(String(format: "%.1f", ratio))x) in \(ByteFormat.duration(manifest.duration))"
            let pruneResult = await pruneAfterBackup(repo: repo, logger: logger, summary: &summary)
            writeResult(WorkerResult(
                command: "backup", ok: true, backupId: manifest.id, kind: .logical, databases: manifest.databases.map(\.name),
                startedAt: Timestamps.format(manifest.startedAt), finishedAt: Timestamps.format(manifest.finishedAt),
                durationSeconds: manifest.duration, sizeBytes: manifest.plainBytes, storedBytes: manifest.storedBytes, prune: pruneResult))
            if output.json {
                try printJSON(manifest)
            } else {
                print(summary)
            }
            if pruneResult?.ok == false { throw ExitCode(4) }
        }
    }

    /// `--kind base`: pg_basebackup into the repository, published once its WAL is archived.
    private func runBase(repo: Repository, dataPath: DataPathOptions, logger: Logger, started: Date) async throws {
        let request = BaseBackupRequest(
            connection: connection.settings, fastCheckpoint: checkpoint == "fast", compressionSide: BaseBackupRequest.CompressionSide(rawValue: compressionSide)!,
            serverCompressionLevel: compressionSide == "server" ? compressionLevel : nil, walTimeout: DurationText.parse(walTimeout) ?? 300, dataPath: dataPath)
        let manifest: BackupManifest
        do {
            manifest = try await BaseBackup(repository: repo, binaries: try PostgresBinaries.locate(), logger: logger).run(request, progress: output.progress("base backup"))
        } catch let error as LifeboatError {
            writeResult(WorkerResult(command: "backup", ok: false, kind: .base, startedAt: Timestamps.format(started), finishedAt: Timestamps.format(Date()), error: .init(code: error.code.rawValue, message: error.message)))
            throw error
        }
        let physical = manifest.physical!
        let ratio = manifest.storedBytes > 0 ? Double(manifest.plainBytes) / Double(manifest.storedBytes) : 0
        var summary = "base backup \(manifest.id) of system \(physical.systemIdentifier), timeline \(physical.timeline), LSN \(physical.startLSN)–\(physical.stopLSN) (WAL \(physical.startWAL)…\(physical.stopWAL) archived): \(ByteFormat.string(manifest.plainBytes)) read, \(ByteFormat.string(manifest.storedBytes)) stored"
            + (physical.compressionSide == "client" ? " (\(String(format: "%.1f", ratio))x)" : " (compressed by the server)") + " in \(ByteFormat.duration(manifest.duration))"
        let pruneResult = await pruneAfterBackup(repo: repo, logger: logger, summary: &summary)
        writeResult(WorkerResult(
            command: "backup", ok: true, backupId: manifest.id, kind: .base, startedAt: Timestamps.format(manifest.startedAt), finishedAt: Timestamps.format(manifest.finishedAt),
            durationSeconds: manifest.duration, sizeBytes: manifest.plainBytes, storedBytes: manifest.storedBytes, prune: pruneResult))
        if output.json {
            try printJSON(manifest)
        } else {
            print(summary)
        }
        if pruneResult?.ok == false { throw ExitCode(4) }
    }

    /// Runs retention after a good backup when `--prune` was given; its failure is reported apart (exit 4).
    private func pruneAfterBackup(repo: Repository, logger: Logger, summary: inout String) async -> WorkerResult.Prune? {
        guard prune else { return nil }
        do {
            let report = try await Pruner(repository: repo, logger: logger).prune(policy: try retention.policy(), grace: try retention.graceSeconds(), dryRun: false, pitrWindow: try retention.pitrWindowSeconds(), keyring: try encryption.keyring())
            summary += "; prune: \(report.deleted) deleted, \(report.kept) kept" + (report.wal.isEmpty ? "" : ", \(report.walDeleted) WAL files deleted")
            return .init(ok: true, deleted: report.deleted, kept: report.kept, error: nil)
        } catch {
            let message = (error as? LifeboatError)?.message ?? "\(error)"
            summary += "; prune FAILED: \(message)"
            return .init(ok: false, deleted: 0, kept: 0, error: message)
        }
    }

    private func writeResult(_ result: WorkerResult) {
        guard let path = output.resultPath, let data = try? result.terminationMessage() else { return }
        try? data.write(to: URL(fileURLWithPath: path))
    }
}
