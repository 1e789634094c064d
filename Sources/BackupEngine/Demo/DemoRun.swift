import Foundation
import Logging

/// `lifeboat demo`: the whole loop on an embedded default — a throwaway PostgreSQL with sample data, a local
/// directory repository, an encrypted backup, list, verify with a test restore, a restore into a new database,
/// and a comparison of row counts and content checksums with the source. Everything is removed at the end.
public struct DemoRun: Sendable {
    /// What the demo found.
    public struct Report: Sendable {
        public var backupId: String
        public var databases: [String]
        public var plainBytes: Int64
        public var storedBytes: Int64
        public var backupSeconds: Double
        public var restoreSeconds: Double
        public var tablesCompared: Int
        public var mismatches: [String]
        public var ok: Bool { mismatches.isEmpty }
    }

    public let logger: Logger
    /// Keep the cluster and repository instead of removing them (their paths are printed).
    public let keep: Bool
    /// Rows of the largest sample table.
    public let scale: Int

    /// Creates a demo.
    public init(logger: Logger, keep: Bool = false, scale: Int = 20_000) {
        self.logger = logger
        self.keep = keep
        self.scale = scale
    }

    /// Runs the demo, printing each step with `say`.
    public func run(quiet: Bool = false, say: @escaping @Sendable (String) -> Void) async throws -> Report {
        let binaries: PostgresBinaries
        do {
            binaries = try PostgresBinaries.locate()
            for tool in ["initdb", "pg_ctl", "postgres", "pg_dump", "pg_restore", "pg_dumpall", "psql"] { _ = try binaries.path(tool) }
        } catch let error as LifeboatError {
            throw LifeboatError(.tool, "lifeboat demo needs PostgreSQL's server and client programs: \(error.message)", hint: "install them (Debian/Ubuntu: apt-get install postgresql-15), or set LIFEBOAT_PG_BINDIR to their folder")
        }
        say("==> starting a throwaway PostgreSQL (\(binaries.directory))")
        let cluster = try await LocalPostgresCluster.start(binaries: binaries)
        let workspace = try TemporaryFiles.makeDirectory(prefix: "lifeboat-demo")
        do {
            let report = try await steps(cluster: cluster, workspace: workspace, binaries: binaries, quiet: quiet, say: say)
            if keep {
                say("kept: cluster \(cluster.dataDirectory) on 127.0.0.1:\(cluster.port), repository file://\(workspace)/repo")
            } else {
                await cluster.stop()
                try? FileManager.default.removeItem(atPath: workspace)
                say("==> cleaned up the throwaway cluster and repository")
            }
            return report
        } catch {
            if !keep {
                await cluster.stop()
                try? FileManager.default.removeItem(atPath: workspace)
            }
            throw error
        }
    }

    private func steps(cluster: LocalPostgresCluster, workspace: String, binaries: PostgresBinaries, quiet: Bool, say: @escaping @Sendable (String) -> Void) async throws -> Report {
        let connection = cluster.connection
        say("    PostgreSQL is up on 127.0.0.1:\(cluster.port)")
        say("==> loading sample data: databases shop (customers, orders, order_items) and inventory")
        try await DemoData.load(connection: connection, scale: scale)

        let repository = Repository(storage: try FileStorage(root: workspace + "/repo"))
        let key = EncryptionKey.generate()
        say("==> backing up shop and inventory into file://\(workspace)/repo (zstd, encrypted with a fresh key, id \(key.id))")
        let request = LogicalBackupRequest(connection: connection, databases: ["shop", "inventory"], dataPath: try DataPathOptions(encryptionKey: key))
        let manifest = try await LogicalBackup(repository: repository, binaries: binaries, logger: logger).run(request, progress: ProgressReporter(phase: "backup", enabled: !quiet))
        say("    backup \(manifest.id): \(ByteFormat.string(manifest.plainBytes)) dumped, \(ByteFormat.string(manifest.storedBytes)) stored, \(ByteFormat.duration(manifest.duration))")

        say("==> listing the repository")
        for backup in try await repository.backups() {
            say("    \(backup.id)  \(backup.databases.map(\.name).joined(separator: ","))  \(ByteFormat.string(backup.storedBytes)) stored  \(backup.objects.count) objects")
        }

        let keyring = EncryptionKeyring(current: key)
        say("==> verifying: checksums, tables of contents, and a test restore compared with the row counts taken in the dump's snapshot")
        let verification = try await BackupVerifier(repository: repository, binaries: binaries, logger: logger)
            .verify(manifest.id, keyring: keyring, restore: .server(connection), progress: ProgressReporter(phase: "verify", enabled: !quiet))
        guard verification.ok else {
            throw LifeboatError(.verificationFailed, "the demo backup failed verification: \(verification.problems.joined(separator: "; "))")
        }
        say("    OK: \(verification.objectsChecked) objects intact, \(verification.tablesCompared) tables' row counts match")

        say("==> restoring shop into a new database shop_restored")
        let outcome = try await LogicalRestore(repository: repository, binaries: binaries, logger: logger).run(
            LogicalRestoreRequest(connection: connection, backup: "latest", sourceDatabase: "shop", targetDatabase: "shop_restored", keyring: keyring),
            progress: ProgressReporter(phase: "restore", enabled: !quiet))

        say("==> comparing shop_restored with shop: row counts and content checksums per table")
        let source = try await PGConnection.connect(connection, database: "shop")
        let restored = try await PGConnection.connect(connection, database: "shop_restored")
        defer { source.close(); restored.close() }
        let (sourceCounts, sourceSums) = try await runBlocking { (try Catalog.rowCounts(source), try Catalog.contentChecksums(source)) }
        let (restoredCounts, restoredSums) = try await runBlocking { (try Catalog.rowCounts(restored), try Catalog.contentChecksums(restored)) }
        var mismatches: [String] = []
        for table in sourceCounts.keys.sorted() {
            let same = sourceCounts[table] == restoredCounts[table] && sourceSums[table] == restoredSums[table]
            say("    \(same ? "ok      " : "MISMATCH") \(table): \(sourceCounts[table] ?? 0) rows, checksum \(String((sourceSums[table] ?? "").prefix(12)))")
            if !same { mismatches.append(table) }
        }
        if Set(restoredCounts.keys) != Set(sourceCounts.keys) { mismatches.append("table sets differ") }

        let report = Report(
            backupId: manifest.id, databases: manifest.databases.map(\.name), plainBytes: manifest.plainBytes, storedBytes: manifest.storedBytes,
            backupSeconds: manifest.duration, restoreSeconds: outcome.duration, tablesCompared: sourceCounts.count, mismatches: mismatches)
        say("")
        say("Report")
        say("  backup    \(report.backupId): \(report.databases.joined(separator: ", ")), \(ByteFormat.string(report.plainBytes)) → \(ByteFormat.string(report.storedBytes)) in \(ByteFormat.duration(report.backupSeconds))")
        say("  verify    \(verification.objectsChecked) objects, \(verification.tablesCompared) tables' row counts: OK")
        say("  restore   shop → shop_restored in \(ByteFormat.duration(report.restoreSeconds))")
        say("  compare   \(report.tablesCompared) tables: \(report.ok ? "identical rows and content checksums" : "MISMATCH in \(mismatches.joined(separator: ", "))")")
        return report
    }
}
