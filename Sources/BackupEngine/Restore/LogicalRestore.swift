import Foundation
import Logging
import NIOConcurrencyHelpers

/// Restores one database of a logical backup: into a new database, over an existing one (only when the
/// confirmation names it; the old database stays until the new one is complete), or only some tables or schemas.
public struct LogicalRestore: Sendable {
    public let repository: Repository
    public let binaries: PostgresBinaries
    public let logger: Logger

    /// Creates a runner.
    public init(repository: Repository, binaries: PostgresBinaries, logger: Logger) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
    }

    /// Runs the restore.
    public func run(_ request: LogicalRestoreRequest, progress: ProgressReporter) async throws -> LogicalRestoreOutcome {
        let started = Date()
        let manifest = try await repository.resolve(request.backup, kind: .logical, database: request.sourceDatabase)
        let entry = try pickDatabase(manifest, request.sourceDatabase)
        let maintenance = try await PGConnection.connect(request.connection)
        defer { maintenance.close() }
        let target = request.targetDatabase
        let exists = try await runBlocking { try Catalog.databaseExists(maintenance, target) }
        if exists {
            guard request.replace else {
                throw LifeboatError(
                    .confirmationRequired, "database \"\(target)\" already exists; restoring into it would replace its contents",
                    hint: "to replace it, add --replace --confirm \(target); to keep it, restore into a new database with --to NEW_NAME")
            }
            guard request.confirmation == target else {
                throw LifeboatError(
                    .confirmationRequired,
                    "--replace needs --confirm \(target) (the exact name of the database to overwrite)\(request.confirmation.map { "; --confirm names \"\($0)\"" } ?? "")")
            }
        }
        if request.restoreGlobals { try await restoreGlobals(manifest, request: request) }
        progress.setPhase("restore of \(entry.name) into \(target)")
        let mode: String
        if request.isPartial {
            mode = "tables"
            if !exists { try await create(target, in: maintenance, likeOwnerOf: nil) }
            // Partial restores replace the named objects inside one transaction: all or nothing.
            try await verifyObjects(manifest, entry, keyring: request.keyring)
            try await restoreInto(target, manifest, entry, request, extra: ["--clean", "--if-exists", "--single-transaction"], progress: progress)
        } else if exists {
            mode = "replaced"
            // Nothing destructive happens before every object is known to be intact and decryptable.
            progress.setPhase("checking backup \(manifest.id) before replacing \(target)")
            try await verifyObjects(manifest, entry, keyring: request.keyring)
            let staging = Self.stagingName(for: target)
            try await create(staging, in: maintenance, likeOwnerOf: target)
            do {
                progress.setPhase("restore of \(entry.name) into \(target) (staged as \(staging))")
                try await restoreInto(staging, manifest, entry, request, extra: [], progress: progress)
            } catch {
                try? await drop(staging, in: maintenance)
                throw error
            }
            try await swap(staging, into: target, in: maintenance)
        } else {
            mode = "new"
            try await create(target, in: maintenance, likeOwnerOf: nil)
            do {
                try await restoreInto(target, manifest, entry, request, extra: [], progress: progress)
            } catch {
                // The database is ours and incomplete: remove it rather than leave something that looks restored.
                try? await drop(target, in: maintenance)
                throw error
            }
        }
        progress.finishLine()
        return LogicalRestoreOutcome(backup: manifest, sourceDatabase: entry.name, targetDatabase: target, mode: mode, plainBytes: progress.totals.plain, duration: Date().timeIntervalSince(started))
    }

    private func pickDatabase(_ manifest: BackupManifest, _ name: String?) throws -> BackupManifest.Database {
        if let name {
            guard let entry = manifest.databases.first(where: { $0.name == name }) else {
                throw LifeboatError(.notFound, "backup \(manifest.id) does not contain database \"\(name)\"", hint: "it holds: \(manifest.databases.map(\.name).joined(separator: ", "))")
            }
            return entry
        }
        guard manifest.databases.count == 1, let only = manifest.databases.first else {
            throw LifeboatError(.invalidInput, "backup \(manifest.id) holds several databases (\(manifest.databases.map(\.name).joined(separator: ", ")))", hint: "choose one with --database")
        }
        return only
    }

    /// Reads every object of the database through checksum and authentication, discarding the plaintext.
    func verifyObjects(_ manifest: BackupManifest, _ entry: BackupManifest.Database, keyring: EncryptionKeyring?) async throws {
        for object in manifest.objects where object.database == entry.name {
            try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: keyring) { _ in }
        }
    }

    private func restoreInto(
        _ database: String, _ manifest: BackupManifest, _ entry: BackupManifest.Database, _ request: LogicalRestoreRequest,
        extra: [String], progress: ProgressReporter
    ) async throws {
        let pgRestore = try binaries.path("pg_restore")
        var args = ["--dbname=\(Self.connectionString(database: database))", "--exit-on-error", "--no-password"] + extra
        if request.noOwner { args += ["--no-owner", "--no-privileges"] }
        args += request.tables.flatMap { ["--table", $0] }
        args += request.schemas.flatMap { ["--schema", $0] }
        let environment = request.connection.environment()
        let what = "restoring database \"\(entry.name)\" of backup \(manifest.id) into \"\(database)\""
        if entry.format == "directory" {
            try await DirectoryRestore(repository: repository, pgRestore: pgRestore).run(
                manifest: manifest, entry: entry, arguments: args + ["--jobs=\(max(1, request.jobs))"], environment: environment,
                scratchRoot: request.scratchDirectory, keyring: request.keyring, what: what, progress: progress)
            return
        }
        guard let object = manifest.objects.first(where: { $0.database == entry.name && $0.role == "dump" }) else {
            throw LifeboatError(.integrity, "backup \(manifest.id) lists database \"\(entry.name)\" but has no dump object for it")
        }
        let child = try ChildProcess(executable: pgRestore, arguments: args + ["--format=custom"], environment: environment, stdin: .pipe, stdout: .null)
        let fd = child.stdinFD
        // If pg_restore stops reading (it failed), the rest of the object is still read and checksummed: a damaged
        // object is the deeper cause and is reported as such; otherwise pg_restore's own words are.
        let gone = NIOLockedValueBox(false)
        do {
            try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: request.keyring, progress: progress) { plain in
                guard !gone.withLockedValue({ $0 }) else { return }
                do {
                    try await runBlocking { try FileDescriptorIO.write(fd, plain, what: "feeding pg_restore") }
                } catch {
                    gone.withLockedValue { $0 = true }
                }
            }
        } catch {
            child.closeStdin()
            child.terminate()
            _ = try? await child.waitForExit()
            throw error
        }
        child.closeStdin()
        try await child.checkSuccess(what)
    }

    private func restoreGlobals(_ manifest: BackupManifest, request: LogicalRestoreRequest) async throws {
        guard let object = manifest.objects.first(where: { $0.role == "globals" }) else {
            throw LifeboatError(.notFound, "backup \(manifest.id) has no roles and tablespaces (it was taken with --no-globals)")
        }
        let psql = try binaries.path("psql")
        // Existing roles make some statements fail ("already exists"); the rest must still apply.
        let child = try ChildProcess(executable: psql, arguments: ["--no-psqlrc", "--quiet", "--no-password", "-v", "ON_ERROR_STOP=0", "--file=-"], environment: request.connection.environment(), stdin: .pipe, stdout: .null)
        let fd = child.stdinFD
        try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: request.keyring) { plain in
            try await runBlocking { try FileDescriptorIO.write(fd, plain, what: "feeding psql") }
        }
        child.closeStdin()
        try await child.checkSuccess("restoring roles and tablespaces")
    }

    private func create(_ name: String, in connection: PGConnection, likeOwnerOf model: String?) async throws {
        var sql = "CREATE DATABASE \(PGConnection.quoteIdentifier(name)) TEMPLATE template0"
        if let model, let owner = try await connection.run("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = $1", [model]).first?.first ?? nil {
            sql += " OWNER \(PGConnection.quoteIdentifier(owner))"
        }
        try await connection.run(sql)
    }

    private func drop(_ name: String, in connection: PGConnection) async throws {
        try await connection.run("DROP DATABASE IF EXISTS \(PGConnection.quoteIdentifier(name)) WITH (FORCE)")
    }

    /// Puts the restored staging database in place of `target`: new connections to the target are refused,
    /// existing ones ended, the old database renamed aside and dropped, the staging database renamed in.
    private func swap(_ staging: String, into target: String, in connection: PGConnection) async throws {
        let old = Self.stagingName(for: target, tag: "old")
        let q = PGConnection.quoteIdentifier
        try await connection.run("ALTER DATABASE \(q(target)) ALLOW_CONNECTIONS false")
        do {
            try await connection.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [target])
            try await connection.run("ALTER DATABASE \(q(target)) RENAME TO \(q(old))")
        } catch {
            _ = try? await connection.run("ALTER DATABASE \(q(target)) ALLOW_CONNECTIONS true")
            throw error
        }
        try await connection.run("ALTER DATABASE \(q(staging)) RENAME TO \(q(target))")
        try await connection.run("DROP DATABASE \(q(old)) WITH (FORCE)")
        logger.info("database replaced", metadata: ["database": "\(target)"])
    }

    /// A name beside `target` for staging, within PostgreSQL's 63-byte limit.
    static func stagingName(for target: String, tag: String = "restoring") -> String {
        let suffix = "__lifeboat_\(tag)_\(String(format: "%04x", UInt16.random(in: 0...UInt16.max)))"
        var base = target
        while base.utf8.count + suffix.utf8.count > 63 { base.removeLast() }
        return base + suffix
    }

    /// A libpq connection string naming only the database (host, port, user come from the environment).
    static func connectionString(database: String) -> String {
        "dbname='" + database.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
