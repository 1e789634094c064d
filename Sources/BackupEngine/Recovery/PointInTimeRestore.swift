import Foundation
import Logging

/// Prepares a data directory for point-in-time recovery: refuses a non-empty directory, plans (refusing a target the
/// archive cannot reach — before anything is written), extracts the chosen base backup, and writes the recovery
/// settings. Starting PostgreSQL on it is the caller's choice (`lifeboat restore --start`, or the printed command).
public struct PointInTimeRestore: Sendable {
    /// What to restore where.
    public struct Request: Sendable {
        /// The empty (or missing) data directory to fill.
        public var dataDirectory: String
        /// Where to stop.
        public var target: RecoveryTarget
        /// A base backup id to start from, instead of the planner's choice.
        public var backupId: String?
        /// Keys for encrypted backups and WAL.
        public var keyring: EncryptionKeyring?
        /// `restore_command` to write (see `RecoveryConfiguration.restoreCommand`).
        public var restoreCommand: String
        /// Extra settings to append (e.g. `archive_mode = off`).
        public var extraSettings: [(name: String, value: String)]

        /// Creates a request.
        public init(dataDirectory: String, target: RecoveryTarget, backupId: String? = nil, keyring: EncryptionKeyring?, restoreCommand: String,
                    extraSettings: [(name: String, value: String)] = []) {
            self.dataDirectory = dataDirectory
            self.target = target
            self.backupId = backupId
            self.keyring = keyring
            self.restoreCommand = restoreCommand
            self.extraSettings = extraSettings
        }
    }

    /// What was done.
    public struct Outcome: Sendable {
        /// The plan that was carried out.
        public var plan: RecoveryPlan
        /// The data directory.
        public var dataDirectory: String
        /// The settings appended to `postgresql.auto.conf`.
        public var settings: String
        /// The command that starts recovery.
        public var startCommand: String
        /// Wall time of the preparation.
        public var duration: TimeInterval
    }

    /// Writes a base backup's files into an empty directory (h-base's extractor, injected so planning is testable on
    /// its own).
    public typealias Extractor = @Sendable (_ backup: BackupManifest, _ dataDirectory: String, _ keyring: EncryptionKeyring?) async throws -> Void

    /// The repository.
    public let repository: Repository
    /// The binaries (pg_waldump, pg_ctl).
    public let binaries: PostgresBinaries
    /// Extracts a base backup.
    public let extract: Extractor
    /// Logs progress.
    public let logger: Logger

    /// Creates a restore.
    public init(repository: Repository, binaries: PostgresBinaries, logger: Logger, extract: @escaping Extractor) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
        self.extract = extract
    }

    /// The archive of the cluster whose backups the repository holds.
    public static func archive(of repository: Repository) async throws -> WALArchive {
        guard let identity = try await ClusterClaim.owner(of: repository) else {
            throw LifeboatError(.notFound, "\(repository.storage.location) holds no base backup or WAL of any cluster",
                                hint: "take a base backup with `lifeboat backup --kind base` and archive WAL with `lifeboat wal-push` first")
        }
        return WALArchive(repository: repository, identity: identity)
    }

    /// Plans only: what `run` would do, without touching anything.
    public func plan(_ request: Request) async throws -> RecoveryPlan {
        let archive = try await Self.archive(of: repository)
        let snapshot = try await ArchiveSnapshot.load(archive, keyring: request.keyring)
        let planner = RecoveryPlanner(snapshot: snapshot, records: WALInspector(archive: archive, keyring: request.keyring, binaries: binaries))
        return try await planner.plan(request.target, backupId: request.backupId)
    }

    /// Checks the directory, plans, extracts and configures.
    public func run(_ request: Request) async throws -> Outcome {
        let started = Date()
        try Self.checkEmpty(request.dataDirectory)
        let plan = try await plan(request)
        logger.notice("restoring base backup \(plan.backup.id) for \(plan.target)", metadata: ["backup.id": "\(plan.backup.id)"])
        try FileManager.default.createDirectory(atPath: request.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try await extract(plan.backup, request.dataDirectory, request.keyring)
        let configuration = RecoveryConfiguration(restoreCommand: request.restoreCommand, target: plan.target, backupId: plan.backup.id,
                                                  extraSettings: request.extraSettings)
        try configuration.write(into: request.dataDirectory)
        chmod(request.dataDirectory, 0o700)
        let directory = RecoveryConfiguration.shellQuote(request.dataDirectory)
        var start = "\(RecoveryConfiguration.shellQuote((try? binaries.path("pg_ctl")) ?? "pg_ctl")) -D \(directory) -l \(RecoveryConfiguration.shellQuote(request.dataDirectory + "/recovery.log")) start"
        // PostgreSQL refuses to run as root: say how to hand the directory to the server's user.
        if geteuid() == 0 { start = "chown -R postgres:postgres \(directory) && runuser -u postgres -- " + start }
        return Outcome(plan: plan, dataDirectory: request.dataDirectory, settings: configuration.text, startCommand: start,
                       duration: Date().timeIntervalSince(started))
    }

    /// Refuses a data directory that exists and is not empty, listing what is there.
    public static func checkEmpty(_ path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw LifeboatError(.invalidInput, "\(path) is a file, not a data directory", hint: "give an empty or new directory to --pgdata")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        guard entries.isEmpty else {
            let shown = entries.prefix(10).joined(separator: ", ") + (entries.count > 10 ? " and \(entries.count - 10) more" : "")
            throw LifeboatError(.invalidInput, "refusing to restore into \(path): it is not empty (\(shown))",
                                hint: "restore into a new or empty directory; a data directory is never overwritten")
        }
    }
}
