import ArgumentParser
import BackupEngine
import Foundation
import LifeboatAPI

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Take a logical backup of one, several or all databases, plus roles and tablespaces.",
        discussion: """
            The custom format (default) streams pg_dump → compression → encryption → SHA-256 → repository in one pass,
            with no copy on local disk. The directory format (--format directory) runs pg_dump with parallel jobs
            for large databases with many tables; it needs local scratch space (--scratch-dir) for the files
            pg_dump is writing, about the size of the largest table uncompressed, checked before starting. Each file
            is uploaded as soon as pg_dump closes it.

            Rows of every table are counted in the dump's own snapshot, so `lifeboat verify --restore` can compare.
            With --prune, retention runs after a successful backup; its outcome is reported separately and a failed
            prune never marks the backup failed (exit 4).

            Example:
              PGHOST=db.internal PGUSER=backup PGPASSWORD=… LIFEBOAT_REPO=s3://backups/prod \\
                lifeboat backup --database app --prune --keep-daily 7 --keep-weekly 4
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Backup kind. Only `logical` for now.")
    var kind: String = "logical"

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
        guard kind == "logical" else { throw ValidationError("--kind \(kind) is not supported yet; use --kind logical") }
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
            var pruneResult: WorkerResult.Prune?
            if prune {
                do {
                    let report = try await Pruner(repository: repo, logger: logger).prune(policy: try retention.policy(), grace: try retention.graceSeconds(), dryRun: false)
                    pruneResult = .init(ok: true, deleted: report.deleted, kept: report.kept, error: nil)
                    summary += "; prune: \(report.deleted) deleted, \(report.kept) kept"
                } catch {
                    let message = (error as? LifeboatError)?.message ?? "\(error)"
                    pruneResult = .init(ok: false, deleted: 0, kept: 0, error: message)
                    summary += "; prune FAILED: \(message)"
                }
            }
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

    private func writeResult(_ result: WorkerResult) {
        guard let path = output.resultPath, let data = try? result.terminationMessage() else { return }
        try? data.write(to: URL(fileURLWithPath: path))
    }
}
