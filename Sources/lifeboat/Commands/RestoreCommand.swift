import ArgumentParser
import BackupEngine
import Foundation

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a database from a logical backup (into a new database, over an existing one, or just some tables), or a whole cluster to a point in time.",
        discussion: """
            Logical (the default, --kind logical):
            Into a new database:        lifeboat restore --database app --to app_restored
            A chosen backup:            lifeboat restore 20261121T020000Z-logical-3f9a1c --database app --to app_copy
            Over the existing database: lifeboat restore --database app --to app --replace --confirm app
              (every object is checked first; the backup is restored beside the old database, then swapped in:
               connections to it are ended, and the old one is dropped only once the new one is complete)
            Just some tables:           lifeboat restore --database app --to app --table orders --replace --confirm app
              (the named tables are dropped and restored in one transaction)

            Point in time (--kind point-in-time): a base backup plus archived WAL, into a
            new or empty data directory. The target is checked against the recovery
            window first (nothing is written when it cannot be reached); then the base
            backup is extracted, recovery.signal is created and postgresql.auto.conf gets
            restore_command = '<this lifeboat> wal-fetch %f %p --repo URL', the target
            and recovery_target_action = 'promote'. restore_command names no secret: the
            server's environment must hold AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (S3)
            and LIFEBOAT_ENCRYPTION_KEY (encrypted repositories).
              Before a mistake:  lifeboat restore --kind point-in-time --pgdata DIR
                                   --target-time 2026-11-21T10:14:59Z
              Not including it:  … --target-time '2026-11-21 10:15:00+00' --exclusive
              A WAL position:    … --target-lsn 0/3000148
              A transaction:     … --target-xid 7421
              A restore point:   … --target-name before-migration
              The backup's end:  … --target immediate
              All archived WAL:  … --target latest   (the default)
              Check only:        … --plan-only
              Start and wait:    … --start --start-port 5433
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .customLong("kind"), help: ArgumentHelp("`logical` (a database from a dump) or `point-in-time` (a cluster from a base backup and WAL).", valueName: "kind"))
    var kind: String = "logical"

    @OptionGroup(title: "Point in time") var pointInTime: PointInTimeOptions

    @Argument(help: "Logical: backup id, or `latest`.")
    var backup: String = "latest"

    @Option(name: [.customShort("d"), .customLong("database")], help: "Which database of the backup (needed when it holds several).")
    var database: String?

    @Option(name: .customLong("to"), help: "Logical: database to restore into. Created when missing; an existing one is replaced only with --replace --confirm NAME.")
    var target: String?

    @Flag(name: .long, help: "Replace the target database (or, with --table/--schema, those objects in it).")
    var replace = false

    @Option(name: .long, help: "The exact name of the database being replaced, as confirmation.")
    var confirm: String?

    @Option(name: [.customShort("t"), .customLong("table")], help: "Restore only this table (repeatable).")
    var tables: [String] = []

    @Option(name: [.customShort("n"), .customLong("schema")], help: "Restore only this schema (repeatable).")
    var schemas: [String] = []

    @Option(name: [.customShort("j"), .long], help: "Parallel pg_restore jobs (directory-format backups).")
    var jobs: Int = 2

    @Flag(name: .customLong("no-owner"), help: "Do not restore ownership and privileges (when the roles do not exist here).")
    var noOwner = false

    @Flag(name: .customLong("globals"), help: "Also create the backup's roles and tablespaces (existing ones are kept).")
    var globals = false

    @Option(name: .customLong("scratch-dir"), help: "Local folder for directory-format restores (default: TMPDIR or /tmp).")
    var scratchDirectory: String?

    func validate() throws {
        switch kind {
        case "point-in-time", "pitr":
            guard pointInTime.dataDirectory != nil else { throw ValidationError("--kind point-in-time needs --pgdata DIR (a new or empty data directory)") }
            guard target == nil, !replace, tables.isEmpty, schemas.isEmpty, database == nil, backup == "latest" else {
                throw ValidationError("--to, --replace, --table, --schema, --database and a backup argument belong to a logical restore; a point-in-time restore takes --pgdata, a target and optionally --backup ID")
            }
            return
        case "logical":
            guard !pointInTime.anyGiven else { throw ValidationError("--pgdata and the --target… options belong to --kind point-in-time") }
            guard target != nil else { throw ValidationError("a logical restore needs --to DATABASE") }
        default:
            throw ValidationError("--kind is logical or point-in-time")
        }
        if confirm != nil && !replace { throw ValidationError("--confirm only goes with --replace") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        if kind != "logical" {
            try await PointInTimeRestoreRunner(options: pointInTime, repository: repository, encryption: encryption, output: output).run()
            return
        }
        let target = self.target ?? ""
        try await CommandRunner.run {
            let logger = CommandRunner.logger("restore")
            let repo = try repository.open(logger: logger)
            let request = LogicalRestoreRequest(
                connection: connection.settings, backup: backup, sourceDatabase: database, targetDatabase: target, replace: replace,
                confirmation: confirm, tables: tables, schemas: schemas, jobs: jobs, noOwner: noOwner, restoreGlobals: globals,
                scratchDirectory: scratchDirectory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp", keyring: try encryption.keyring())
            let outcome = try await LogicalRestore(repository: repo, binaries: try PostgresBinaries.locate(), logger: logger).run(request, progress: output.progress("restore"))
            let what = outcome.mode == "tables" ? "tables \((tables + schemas).joined(separator: ", ")) of" : "database"
            print("restored \(what) \(outcome.sourceDatabase) from backup \(outcome.backup.id) (\(Timestamps.format(outcome.backup.startedAt))) into \(outcome.targetDatabase) [\(outcome.mode)]: \(ByteFormat.string(outcome.plainBytes)) in \(ByteFormat.duration(outcome.duration))")
        }
    }
}
