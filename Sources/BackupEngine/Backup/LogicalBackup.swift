import Foundation
import Logging

/// Takes a logical backup: for each database, a snapshot is exported, rows are counted in it, and
/// `pg_dump --snapshot` streams its archive through the data path into the repository; roles and
/// tablespaces follow; the manifest is written last.
public struct LogicalBackup: Sendable {
    public let repository: Repository
    public let binaries: PostgresBinaries
    public let logger: Logger

    /// Creates a runner.
    public init(repository: Repository, binaries: PostgresBinaries, logger: Logger) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
    }

    /// Runs the backup and returns its published manifest. On failure nothing is published and what was
    /// written is removed (best effort; leftovers without a manifest are garbage that `prune` clears).
    public func run(_ request: LogicalBackupRequest, progress: ProgressReporter) async throws -> BackupManifest {
        let started = Date()
        let pgDump = try binaries.path("pg_dump")
        // Fail fast on an unreachable repository, before any load on the database.
        _ = try await repository.storage.list(prefix: Repository.backupsFolder + "~probe")

        let maintenance = try await PGConnection.connect(request.connection)
        defer { maintenance.close() }
        let serverVersion = try Catalog.serverVersion(maintenance)
        let serverVersionNumber = maintenance.serverVersionNumber
        let databases = try await selectDatabases(request, maintenance)
        let toolVersion = try await ChildProcess.run(pgDump, ["--version"], what: "reading pg_dump's version").trimmingCharacters(in: .whitespacesAndNewlines)
        try checkToolVersion(toolVersion, serverVersionNumber: serverVersionNumber)

        let id = BackupID.make(kind: .logical, at: started)
        var log = logger
        log[metadataKey: "backup.id"] = "\(id)"
        log.info("backup started", metadata: ["backup.databases": "\(databases.joined(separator: ","))", "repository": "\(repository.storage.location)"])
        var objects: [BackupManifest.Object] = []
        var entries: [BackupManifest.Database] = []
        do {
            for (index, database) in databases.enumerated() {
                progress.setPhase("backup of \(database)")
                let (entry, written) = try await dumpDatabase(database, index: index, id: id, request: request, pgDump: pgDump, progress: progress)
                entries.append(entry)
                objects += written
            }
            if request.includeGlobals {
                progress.setPhase("roles and tablespaces")
                objects.append(try await dumpGlobals(id: id, request: request, progress: progress))
            }
            let manifest = BackupManifest(
                id: id, kind: .logical, startedAt: started, finishedAt: Date(), serverVersion: serverVersion,
                serverVersionNumber: serverVersionNumber, toolVersion: toolVersion, databases: entries, objects: objects,
                compression: request.dataPath.compression.rawValue, compressionLevel: request.dataPath.compressionLevel,
                encryptionKeyId: request.dataPath.encryptionKey?.id, options: request.options)
            try await repository.publish(manifest)
            progress.finishLine()
            log.info("backup finished", metadata: ["backup.plain_bytes": "\(manifest.plainBytes)", "backup.stored_bytes": "\(manifest.storedBytes)"])
            return manifest
        } catch {
            progress.finishLine()
            log.error("backup failed; removing its partial objects", metadata: ["error": "\(error)"])
            try? await repository.delete(backup: id)
            throw error
        }
    }

    private func selectDatabases(_ request: LogicalBackupRequest, _ connection: PGConnection) async throws -> [String] {
        let available = try await runBlocking { try Catalog.databases(connection) }
        if request.allDatabases { return available }
        guard !request.databases.isEmpty else {
            throw LifeboatError(.invalidInput, "no database to back up", hint: "name one or more with --database, or use --all-databases")
        }
        for name in request.databases where !available.contains(name) {
            throw LifeboatError(
                .databaseMissing, "database \"\(name)\" does not exist on \(request.connection.describe())",
                hint: "databases there: \(available.joined(separator: ", "))")
        }
        return request.databases
    }

    private func checkToolVersion(_ version: String, serverVersionNumber: Int) throws {
        // "pg_dump (PostgreSQL) 15.18 (Debian …)": pg_dump must not be older than the server.
        let numbers = version.split(separator: " ").compactMap { Double($0.split(separator: ".").first.map(String.init) ?? "") }
        if let major = numbers.first, Int(major) < serverVersionNumber / 10000 {
            throw LifeboatError(.tool, "\(version) is older than the server (major \(serverVersionNumber / 10000)); pg_dump refuses to dump newer servers", hint: "use pg_dump from PostgreSQL \(serverVersionNumber / 10000) or later (LIFEBOAT_PG_BINDIR)")
        }
    }

    private func dumpDatabase(
        _ database: String, index: Int, id: String, request: LogicalBackupRequest, pgDump: String, progress: ProgressReporter
    ) async throws -> (BackupManifest.Database, [BackupManifest.Object]) {
        // The snapshot holder: a repeatable-read transaction whose snapshot pg_dump imports and the counts use.
        let holder = try await PGConnection.connect(request.connection, database: database)
        defer { holder.close() }
        try await holder.run("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        guard let snapshot = try await holder.run("SELECT pg_export_snapshot()").first?.first ?? nil else {
            throw LifeboatError(.tool, "PostgreSQL did not export a snapshot for database \"\(database)\"")
        }
        let stem = BackupID.objectStem(database: database, index: index)
        var environment = request.connection.environment(database: database)
        environment["PGDATABASE"] = database
        let countRows = request.countRows && !request.schemaOnly
        async let counts: [String: Int64]? = countRows ? runBlocking { try Catalog.rowCounts(holder) } : nil

        let objects: [BackupManifest.Object]
        switch request.format {
        case .custom:
            let args = ["--format=custom", "--compress=0", "--no-password", "--snapshot=\(snapshot)"] + request.selectionArguments
            let child = try ChildProcess(executable: pgDump, arguments: args, environment: environment)
            let name = "\(stem).pgdump\(request.dataPath.objectSuffix)"
            let path = repository.path(backup: id, object: name)
            let stats: ObjectStats
            do {
                let encoder = try await ObjectEncoder(path: path, storage: repository.storage, options: request.dataPath, progress: progress)
                do {
                    stats = try await encoder.drain(fd: child.stdoutFD)
                } catch {
                    await encoder.abort()
                    throw error
                }
            } catch {
                // Our side failed (repository, disk, encoding): stop pg_dump and report our cause, not its broken pipe.
                child.terminate()
                _ = try? await child.waitForExit()
                throw error
            }
            try await child.checkSuccess("dumping database \"\(database)\"")
            objects = [BackupManifest.Object(name: name, role: "dump", database: database, plainBytes: stats.plainBytes, storedBytes: stats.storedBytes, sha256: stats.sha256)]
        case .directory(let jobs, let scratch):
            objects = try await DirectoryDump(repository: repository, pgDump: pgDump).run(
                database: database, stem: stem, backupId: id, snapshot: snapshot, jobs: jobs, scratchRoot: scratch,
                environment: environment, request: request, progress: progress)
        }
        let rowCounts = try await counts
        try await holder.run("COMMIT")
        let format: String
        if case .directory = request.format { format = "directory" } else { format = "custom" }
        return (BackupManifest.Database(name: database, format: format, rowCounts: rowCounts, snapshot: snapshot), objects)
    }

    private func dumpGlobals(id: String, request: LogicalBackupRequest, progress: ProgressReporter) async throws -> BackupManifest.Object {
        let pgDumpall = try binaries.path("pg_dumpall")
        var args = ["--globals-only", "--no-password"]
        if let db = request.connection.maintenanceDatabase { args += ["--database", db] }
        let environment = request.connection.environment()
        var sql: String
        do {
            sql = try await ChildProcess.run(pgDumpall, args, environment: environment, what: "dumping roles and tablespaces")
        } catch let error as LifeboatError where error.message.contains("permission denied") {
            // Not a superuser: role passwords (pg_authid) are unreadable; the roles themselves still are.
            logger.warning("not a superuser: storing roles without their passwords")
            sql = try await ChildProcess.run(pgDumpall, args + ["--no-role-passwords"], environment: environment, what: "dumping roles and tablespaces")
        }
        let name = "globals.sql\(request.dataPath.objectSuffix)"
        let encoder = try await ObjectEncoder(path: repository.path(backup: id, object: name), storage: repository.storage, options: request.dataPath, progress: progress)
        do {
            try await encoder.write(Array(sql.utf8))
            let stats = try await encoder.finish()
            return BackupManifest.Object(name: name, role: "globals", plainBytes: stats.plainBytes, storedBytes: stats.storedBytes, sha256: stats.sha256)
        } catch {
            await encoder.abort()
            throw error
        }
    }
}
