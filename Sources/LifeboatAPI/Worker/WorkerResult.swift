import KubernetesModels

/// The JSON a worker run writes to `/dev/termination-log` (at most 4 KiB) and the controller reads back.
///
/// ```json
/// {"v":1,"command":"backup","ok":true,"backupId":"…","kind":"logical","databases":["app"],
///  "startedAt":"2026-11-21T02:30:00Z","finishedAt":"2026-11-21T02:31:02Z","durationSeconds":62.4,
///  "sizeBytes":1048576,"storedBytes":262144,"prune":{"ok":true,"deleted":1,"kept":7,"error":null},"error":null}
/// ```
/// `prune` and `error` are always written (as null when absent); other absent fields are omitted.
public struct WorkerResult: Codable, Sendable, Hashable {
    /// The format version this code writes.
    public static let currentVersion = 1
    /// The size limit of a container termination message.
    public static let terminationMessageLimit = 4096

    /// Format version.
    public var v: Int
    /// The worker command that ran: `backup`, `check`, `prune`, `wal-stream`.
    public var command: String
    /// Whether the command's main work succeeded (a failed prune alone leaves this true).
    public var ok: Bool
    /// Id of the backup written.
    public var backupId: String?
    /// Backup kind.
    public var kind: BackupKind?
    /// Databases included.
    public var databases: [String]?
    /// When the run started (RFC 3339).
    public var startedAt: String?
    /// When the run finished (RFC 3339).
    public var finishedAt: String?
    /// Wall-clock duration.
    public var durationSeconds: Double?
    /// Bytes read from PostgreSQL.
    public var sizeBytes: Int64?
    /// Bytes stored in the repository.
    public var storedBytes: Int64?
    /// The retention step's outcome, or nil when it did not run.
    public var prune: Prune?
    /// What the `check` command measured.
    public var check: Check?
    /// What a point-in-time restore prepared or reached.
    public var recovery: Recovery?
    /// Why the run failed, or nil.
    public var error: Failure?

    /// Creates a result.
    public init(
        v: Int = WorkerResult.currentVersion, command: String, ok: Bool, backupId: String? = nil, kind: BackupKind? = nil,
        databases: [String]? = nil, startedAt: String? = nil, finishedAt: String? = nil, durationSeconds: Double? = nil,
        sizeBytes: Int64? = nil, storedBytes: Int64? = nil, prune: Prune? = nil, check: Check? = nil, error: Failure? = nil,
        recovery: Recovery? = nil
    ) {
        self.v = v
        self.command = command
        self.ok = ok
        self.backupId = backupId
        self.kind = kind
        self.databases = databases
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.durationSeconds = durationSeconds
        self.sizeBytes = sizeBytes
        self.storedBytes = storedBytes
        self.prune = prune
        self.check = check
        self.error = error
        self.recovery = recovery
    }

    /// The retention step's outcome.
    public struct Prune: Codable, Sendable, Hashable {
        /// Whether pruning succeeded.
        public var ok: Bool
        /// Backups deleted.
        public var deleted: Int?
        /// Backups kept.
        public var kept: Int?
        /// Why pruning failed.
        public var error: String?

        /// Creates a prune outcome.
        public init(ok: Bool, deleted: Int? = nil, kept: Int? = nil, error: String? = nil) {
            self.ok = ok
            self.deleted = deleted
            self.kept = kept
            self.error = error
        }

        private enum CodingKeys: String, CodingKey { case ok, deleted, kept, error }

        /// Encodes with `error` always present (null when absent), as documented.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(ok, forKey: .ok)
            try container.encodeIfPresent(deleted, forKey: .deleted)
            try container.encodeIfPresent(kept, forKey: .kept)
            try container.encode(error, forKey: .error)
        }
    }

    /// Why a run failed.
    public struct Failure: Codable, Sendable, Hashable {
        /// Stable machine-readable code, e.g. `connection_failed`, `repository_unreachable`.
        public var code: String
        /// What happened and what to do; never contains secrets.
        public var message: String

        /// Creates a failure.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// What `lifeboat check` measured.
    public struct Check: Codable, Sendable, Hashable {
        /// Finish time of the newest good logical backup (RFC 3339).
        public var lastLogicalBackupAt: String?
        /// Finish time of the newest good base backup (RFC 3339).
        public var lastBaseBackupAt: String?
        /// When the newest WAL segment reached the repository (RFC 3339).
        public var walLastShipped: String?
        /// WAL bytes written by the server and not yet in the repository.
        public var walLagBytes: Int64?
        /// Whether WAL shipping is healthy (nil when WAL is disabled).
        public var walHealthy: Bool?
        /// What the check found, in words a person can act on.
        public var message: String?
        /// The earliest point a point-in-time restore can reach (RFC 3339), when known.
        public var recoverableFrom: String?
        /// The latest point a point-in-time restore can reach (RFC 3339: the last archived commit), when known.
        public var recoverableTo: String?
        /// The LSN range of the recovery window, `first-last` (e.g. `0/3000100-0/7000000`).
        public var recoverableLSN: String?
        /// Missing WAL on the recovery path, e.g. `000000010000000000000005 (1 segment)`.
        public var walGaps: [String]?
        /// Failed archive attempts reported by `pg_stat_archiver` (archiveCommand mode).
        public var archiverFailedCount: Int64?
        /// The newest segment the server archived (`pg_stat_archiver.last_archived_wal`) or the streamer shipped.
        public var lastArchivedWAL: String?

        /// Creates a check outcome.
        public init(
            lastLogicalBackupAt: String? = nil, lastBaseBackupAt: String? = nil, walLastShipped: String? = nil,
            walLagBytes: Int64? = nil, walHealthy: Bool? = nil, message: String? = nil, recoverableFrom: String? = nil,
            recoverableTo: String? = nil, recoverableLSN: String? = nil, walGaps: [String]? = nil, archiverFailedCount: Int64? = nil,
            lastArchivedWAL: String? = nil
        ) {
            self.lastLogicalBackupAt = lastLogicalBackupAt
            self.lastBaseBackupAt = lastBaseBackupAt
            self.walLastShipped = walLastShipped
            self.walLagBytes = walLagBytes
            self.walHealthy = walHealthy
            self.message = message
            self.recoverableFrom = recoverableFrom
            self.recoverableTo = recoverableTo
            self.recoverableLSN = recoverableLSN
            self.walGaps = walGaps
            self.archiverFailedCount = archiverFailedCount
            self.lastArchivedWAL = lastArchivedWAL
        }
    }

    /// What a point-in-time restore prepared (and, with `--start`, reached).
    public struct Recovery: Codable, Sendable, Hashable {
        /// The base backup restored.
        public var baseBackupId: String
        /// The target, in words (`time 2026-11-21 10:15:00.000000+00 (inclusive) on the latest timeline`).
        public var target: String
        /// The timeline followed.
        public var timeline: UInt32
        /// Where recovery was expected to stop, when known ahead.
        public var expectedStopLSN: String?
        /// Where the restored server ended recovery (with `--start`).
        public var reachedLSN: String?
        /// The timeline the restored server runs on after promotion (with `--start`).
        public var reachedTimeline: UInt32?

        /// Creates a record.
        public init(baseBackupId: String, target: String, timeline: UInt32, expectedStopLSN: String? = nil, reachedLSN: String? = nil, reachedTimeline: UInt32? = nil) {
            self.baseBackupId = baseBackupId
            self.target = target
            self.timeline = timeline
            self.expectedStopLSN = expectedStopLSN
            self.reachedLSN = reachedLSN
            self.reachedTimeline = reachedTimeline
        }
    }

    private enum CodingKeys: String, CodingKey {
        case v, command, ok, backupId, kind, databases, startedAt, finishedAt, durationSeconds, sizeBytes, storedBytes, prune, check, recovery, error
    }

    /// Encodes with `prune` and `error` always present (null when absent), as documented.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(v, forKey: .v)
        try container.encode(command, forKey: .command)
        try container.encode(ok, forKey: .ok)
        try container.encodeIfPresent(backupId, forKey: .backupId)
        try container.encodeIfPresent(kind, forKey: .kind)
        try container.encodeIfPresent(databases, forKey: .databases)
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(finishedAt, forKey: .finishedAt)
        try container.encodeIfPresent(durationSeconds, forKey: .durationSeconds)
        try container.encodeIfPresent(sizeBytes, forKey: .sizeBytes)
        try container.encodeIfPresent(storedBytes, forKey: .storedBytes)
        try container.encode(prune, forKey: .prune)
        try container.encodeIfPresent(check, forKey: .check)
        try container.encodeIfPresent(recovery, forKey: .recovery)
        try container.encode(error, forKey: .error)
    }
}
