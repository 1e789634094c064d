import Foundation
import Logging

/// Checks that a backup can be trusted: every object's checksum and authentication, each dump's table of
/// contents, and optionally a real test restore whose row counts must equal the counts the backup recorded in
/// the dump's own snapshot (so a live, changing source never fails the check).
public struct BackupVerifier: Sendable {
    /// Where a test restore goes.
    public enum RestoreTarget: Sendable {
        /// No test restore.
        case none
        /// A throwaway local PostgreSQL started for the check (needs the server binaries).
        case localCluster
        /// A scratch database on this server, dropped afterwards.
        case server(ConnectionSettings)
    }

    /// What a verification found.
    public struct Report: Sendable {
        public var backup: BackupManifest
        public var level: String
        public var objectsChecked: Int
        public var tocEntries: [String: Int]
        public var tablesCompared: Int
        public var problems: [String]
        public var ok: Bool { problems.isEmpty }
    }

    public let repository: Repository
    public let binaries: PostgresBinaries
    public let logger: Logger

    /// Creates a verifier.
    public init(repository: Repository, binaries: PostgresBinaries, logger: Logger) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
    }

    /// Verifies `selector` (`latest` or an id) and records the outcome beside its manifest.
    public func verify(_ selector: String, keyring: EncryptionKeyring?, restore: RestoreTarget, progress: ProgressReporter) async throws -> Report {
        let manifest = try await repository.resolve(selector)
        var report = Report(backup: manifest, level: { if case .none = restore { return "checksums" } else { return "restore" } }(), objectsChecked: 0, tocEntries: [:], tablesCompared: 0, problems: [])
        do {
            try await checkObjects(manifest, keyring: keyring, report: &report, progress: progress)
            switch restore {
            case .none: break
            case .localCluster:
                let cluster = try await LocalPostgresCluster.start(binaries: binaries)
                do {
                    try await testRestore(manifest, keyring: keyring, connection: cluster.connection, report: &report, progress: progress)
                } catch {
                    await cluster.stop()
                    throw error
                }
                await cluster.stop()
            case .server(let connection):
                try await testRestore(manifest, keyring: keyring, connection: connection, report: &report, progress: progress)
            }
        } catch let error as LifeboatError where error.code == .integrity || error.code == .verificationFailed {
            report.problems.append(error.message)
        }
        progress.finishLine()
        let message = report.ok ? "\(report.objectsChecked) objects intact\(report.tablesCompared > 0 ? ", \(report.tablesCompared) tables' row counts match" : "")" : report.problems.joined(separator: "; ")
        try await repository.record(VerificationRecord(level: report.level, ok: report.ok, verifiedAt: Date(), message: message), id: manifest.id)
        return report
    }

    private func checkObjects(_ manifest: BackupManifest, keyring: EncryptionKeyring?, report: inout Report, progress: ProgressReporter) async throws {
        let pgRestore = try binaries.path("pg_restore")
        for object in manifest.objects {
            progress.setPhase("checking \(object.name)")
            if object.role == "dump" {
                // Feed the archive to `pg_restore --list`: it reads the header and table of contents, then exits.
                let child = try ChildProcess(executable: pgRestore, arguments: ["--list", "--format=custom"], stdin: .pipe)
                let stdinFD = child.stdinFD, stdoutFD = child.stdoutFD
                async let listing = runBlocking { try FileDescriptorIO.readAll(stdoutFD) }
                do {
                    try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: keyring, progress: progress) { plain in
                        // Once pg_restore has the TOC it stops reading; the rest is still decoded and checksummed.
                        try? await runBlocking { try FileDescriptorIO.write(stdinFD, plain, what: "feeding pg_restore --list") }
                    }
                } catch {
                    child.closeStdin()
                    _ = try? await listing
                    _ = try? await child.waitForExit()
                    throw error
                }
                child.closeStdin()
                let text = String(decoding: try await listing, as: UTF8.self)
                let (status, stderr) = try await child.waitForExit()
                guard status == 0 else {
                    throw LifeboatError(.integrity, "the dump \(object.name) has an unreadable table of contents: \(stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
                }
                report.tocEntries[object.database ?? object.name] = text.split(separator: "\n").filter { !$0.hasPrefix(";") }.count
            } else {
                try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: keyring, progress: progress) { _ in }
            }
            report.objectsChecked += 1
        }
    }

    private func testRestore(_ manifest: BackupManifest, keyring: EncryptionKeyring?, connection: ConnectionSettings, report: inout Report, progress: ProgressReporter) async throws {
        let restorer = LogicalRestore(repository: repository, binaries: binaries, logger: logger)
        for entry in manifest.databases {
            let scratch = "lifeboat_verify_\(String(format: "%08x", UInt32.random(in: 0...UInt32.max)))"
            let request = LogicalRestoreRequest(connection: connection, backup: manifest.id, sourceDatabase: entry.name, targetDatabase: scratch, noOwner: true, keyring: keyring)
            _ = try await restorer.run(request, progress: progress)
            let restoredCounts: [String: Int64]
            do {
                let conn = try await PGConnection.connect(connection, database: scratch)
                defer { conn.close() }
                restoredCounts = try await runBlocking { try Catalog.rowCounts(conn) }
            }
            let admin = try await PGConnection.connect(connection)
            try await admin.run("DROP DATABASE IF EXISTS \(PGConnection.quoteIdentifier(scratch)) WITH (FORCE)")
            admin.close()
            guard let recorded = entry.rowCounts else { continue }
            report.problems += RowCountComparison.compare(recorded: recorded, restored: restoredCounts, database: entry.name, filtered: !manifest.options.includeTables.isEmpty || !manifest.options.includeSchemas.isEmpty || !manifest.options.excludeTables.isEmpty || !manifest.options.excludeSchemas.isEmpty)
            report.tablesCompared += restoredCounts.count
        }
    }
}

/// Compares row counts recorded at backup time with those found after a test restore.
public enum RowCountComparison {
    /// Problems found; empty when they agree. With selection filters, tables left out of the dump are not missing.
    public static func compare(recorded: [String: Int64], restored: [String: Int64], database: String, filtered: Bool) -> [String] {
        var problems: [String] = []
        for (table, count) in restored.sorted(by: { $0.key < $1.key }) {
            guard let expected = recorded[table] else {
                problems.append("database \(database): table \(table) was restored but not counted at backup time")
                continue
            }
            if expected != count {
                problems.append("database \(database): table \(table) has \(count) rows after restore, \(expected) at backup time")
            }
        }
        if !filtered {
            for table in recorded.keys.sorted() where restored[table] == nil {
                problems.append("database \(database): table \(table) (\(recorded[table]!) rows at backup time) is missing after restore")
            }
        }
        return problems
    }
}
