import Foundation

/// What the server says about getting its WAL out: the archiver's statistics (`pg_stat_archiver`) for
/// `archive_command`, or the replication slot (`pg_replication_slots`) for `wal-stream`.
public struct WALShippingStatus: Sendable, Hashable {
    /// `pg_stat_archiver`, as read.
    public struct Archiver: Sendable, Hashable {
        /// `archive_mode` (`on`, `always`, `off`).
        public var archiveMode: String
        /// Segments archived since the statistics were reset.
        public var archivedCount: Int64
        /// The newest archived file.
        public var lastArchivedWAL: String?
        /// When it was archived.
        public var lastArchivedTime: Date?
        /// Failed attempts since the statistics were reset.
        public var failedCount: Int64
        /// The file of the newest failure.
        public var lastFailedWAL: String?
        /// When it failed.
        public var lastFailedTime: Date?

        /// Creates a record.
        public init(archiveMode: String, archivedCount: Int64, lastArchivedWAL: String?, lastArchivedTime: Date?, failedCount: Int64,
                    lastFailedWAL: String?, lastFailedTime: Date?) {
            self.archiveMode = archiveMode
            self.archivedCount = archivedCount
            self.lastArchivedWAL = lastArchivedWAL
            self.lastArchivedTime = lastArchivedTime
            self.failedCount = failedCount
            self.lastFailedWAL = lastFailedWAL
            self.lastFailedTime = lastFailedTime
        }
    }

    /// A replication slot, as read.
    public struct Slot: Sendable, Hashable {
        /// The slot's name.
        public var name: String
        /// Whether a receiver is connected.
        public var active: Bool
        /// `reserved`, `extended`, `unreserved` or `lost`.
        public var walStatus: String?
        /// The oldest WAL the slot keeps.
        public var restartLSN: LSN?
        /// Bytes of WAL between the slot and the server's current position.
        public var lagBytes: Int64?

        /// Creates a record.
        public init(name: String, active: Bool, walStatus: String?, restartLSN: LSN?, lagBytes: Int64?) {
            self.name = name
            self.active = active
            self.walStatus = walStatus
            self.restartLSN = restartLSN
            self.lagBytes = lagBytes
        }
    }

    /// The server's current WAL write position.
    public var currentLSN: LSN?
    /// The server's clock when asked.
    public var serverTime: Date
    /// The archiver's statistics.
    public var archiver: Archiver?
    /// The slot, when one was asked for and exists.
    public var slot: Slot?

    /// Creates a status.
    public init(currentLSN: LSN?, serverTime: Date, archiver: Archiver?, slot: Slot?) {
        self.currentLSN = currentLSN
        self.serverTime = serverTime
        self.archiver = archiver
        self.slot = slot
    }

    /// Reads the archiver's statistics and, when `slot` is given, that slot.
    public static func query(_ connection: PGConnection, slot: String?) throws -> WALShippingStatus {
        let rows = try connection.query("""
            SELECT current_setting('archive_mode'), archived_count::text, last_archived_wal, extract(epoch FROM last_archived_time)::text,
                   failed_count::text, last_failed_wal, extract(epoch FROM last_failed_time)::text, extract(epoch FROM now())::text,
                   CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END
            FROM pg_stat_archiver
            """)
        guard let row = rows.first, row.count == 9 else { throw LifeboatError(.connection, "the server did not answer the pg_stat_archiver query") }
        func date(_ text: String?) -> Date? { text.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } }
        var status = WALShippingStatus(
            currentLSN: row[8].flatMap { LSN($0) }, serverTime: date(row[7]) ?? Date(),
            archiver: Archiver(archiveMode: row[0] ?? "off", archivedCount: Int64(row[1] ?? "0") ?? 0, lastArchivedWAL: row[2], lastArchivedTime: date(row[3]),
                               failedCount: Int64(row[4] ?? "0") ?? 0, lastFailedWAL: row[5], lastFailedTime: date(row[6])),
            slot: nil)
        if let slot {
            let slots = try connection.query("""
                SELECT slot_name::text, active::text, wal_status, restart_lsn::text,
                       CASE WHEN pg_is_in_recovery() OR restart_lsn IS NULL THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint::text END
                FROM pg_replication_slots WHERE slot_name = $1
                """, [slot])
            if let s = slots.first, s.count == 5 {
                status.slot = Slot(name: s[0] ?? slot, active: s[1] == "true", walStatus: s[2], restartLSN: s[3].flatMap { LSN($0) }, lagBytes: s[4].flatMap { Int64($0) })
            }
        }
        return status
    }

    /// Findings about `archive_command` shipping, and whether it is healthy. `archivedInRepository` says whether the
    /// server's last archived segment is in the repository (nil when unknown).
    public func archiverVerdict(archivedInRepository: Bool?) -> (healthy: Bool, findings: [String]) {
        guard let archiver else { return (false, ["the server did not report pg_stat_archiver"]) }
        var findings: [String] = []
        var healthy = true
        if archiver.archiveMode == "off" {
            healthy = false
            findings.append("archive_mode is off on the server: no WAL is archived (set archive_mode = on and archive_command = 'lifeboat wal-push %p', then restart)")
        }
        if let failed = archiver.lastFailedTime, archiver.lastArchivedTime.map({ failed > $0 }) ?? true {
            healthy = false
            findings.append("archive_command is failing: \(archiver.failedCount) failures, the last for \(archiver.lastFailedWAL ?? "?") \(Self.age(serverTime.timeIntervalSince(failed))) ago; see the server log")
        } else if archiver.failedCount > 0 {
            findings.append("archive_command failed \(archiver.failedCount) times since the statistics were reset, and has succeeded since")
        }
        if let last = archiver.lastArchivedWAL, let time = archiver.lastArchivedTime {
            findings.append("server archived \(last) \(Self.age(serverTime.timeIntervalSince(time))) ago (\(archiver.archivedCount) since the statistics were reset)")
            if archivedInRepository == false {
                healthy = false
                findings.append("\(last) is not in this repository: archive_command sends WAL somewhere else")
            }
        } else if archiver.archiveMode != "off" {
            findings.append("the server has not archived any WAL yet")
        }
        return (healthy, findings)
    }

    /// Findings about `wal-stream`'s slot, and whether it is healthy.
    public func slotVerdict(slotName: String) -> (healthy: Bool, findings: [String]) {
        guard let slot else {
            return (false, ["replication slot \(slotName) does not exist on the server: nothing holds WAL for the streamer, and WAL written meanwhile is a gap"])
        }
        var findings: [String] = []
        var healthy = true
        if !slot.active {
            healthy = false
            findings.append("replication slot \(slotName) has no receiver connected: `lifeboat wal-stream` is not running")
        }
        if let status = slot.walStatus, !["reserved", "extended"].contains(status) {
            healthy = false
            findings.append("replication slot \(slotName) has wal_status \(status)" + (status == "lost" ? ": WAL it needed was removed, which is a gap" : ": WAL it needs is about to be removed"))
        }
        if let lag = slot.lagBytes { findings.append("replication slot \(slotName) lags \(ByteFormat.string(lag)) behind the server") }
        return (healthy, findings)
    }

    private static func age(_ seconds: TimeInterval) -> String { ByteFormat.duration(max(0, seconds)) }
}
