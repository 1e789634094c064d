import Foundation

/// A physical replication slot on the server, seen through `pg_replication_slots`.
public struct ReplicationSlot: Sendable, Hashable {
    /// What the server said about the slot and its own position.
    public struct State: Sendable, Hashable {
        /// The slot's name.
        public var name: String
        /// False when the server has no slot of that name.
        public var exists: Bool
        /// `restart_lsn`: the oldest WAL the server keeps for the slot (nil when lost or never reserved).
        public var restartLSN: LSN?
        /// `wal_status`: `reserved`, `extended`, `unreserved` or `lost`.
        public var walStatus: String?
        /// Whether a client is streaming from it now.
        public var active: Bool
        /// The process id of that client's walsender.
        public var activePID: Int?
        /// The server's current WAL position (the last received one on a standby).
        public var serverLSN: LSN?

        /// Creates a state.
        public init(name: String, exists: Bool, restartLSN: LSN? = nil, walStatus: String? = nil, active: Bool = false, activePID: Int? = nil, serverLSN: LSN? = nil) {
            self.name = name
            self.exists = exists
            self.restartLSN = restartLSN
            self.walStatus = walStatus
            self.active = active
            self.activePID = activePID
            self.serverLSN = serverLSN
        }

        /// True when PostgreSQL invalidated the slot: WAL it should have kept is gone. (A slot created by
        /// `pg_receivewal --create-slot` has no `restart_lsn` and no `wal_status` until it first streams; that is not
        /// lost.)
        public var isLost: Bool { exists && walStatus == "lost" }

        /// `serverLSN - restartLSN`: how much WAL the server keeps for the slot.
        public var lagBytes: Int64? {
            guard let server = serverLSN, let restart = restartLSN else { return nil }
            return server >= restart ? Int64(server.value - restart.value) : 0
        }

        /// `wal_status`, or `missing` when there is no slot.
        public var walStatusText: String { exists ? (walStatus ?? "unknown") : "missing" }
    }

    /// Checks a slot name as PostgreSQL does: 1–63 characters, lower-case letters, digits and underscores.
    public static func validate(name: String) throws {
        let allowed = name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
        guard !name.isEmpty, name.utf8.count <= 63, allowed else {
            throw LifeboatError(.invalidInput, "\"\(name)\" is not a valid replication slot name",
                                hint: "use 1 to 63 lower-case letters, digits and underscores, e.g. lifeboat_app")
        }
    }

    /// Reads the slot's state and the server's position (any database connection; `pg_replication_slots` is
    /// public). Blocking: call it from `runBlocking`.
    public static func inspect(_ name: String, connection: PGConnection) throws -> State {
        let rows = try connection.query("""
            SELECT s.slot_type, s.restart_lsn::text, s.wal_status, s.active, s.active_pid::text,
                   (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END)::text
            FROM (SELECT 1) AS one LEFT JOIN pg_replication_slots s ON s.slot_name = $1
            """, [name])
        guard let row = rows.first, row.count == 6 else {
            throw LifeboatError(.connection, "the server did not answer the replication slot query")
        }
        let server = row[5].flatMap(LSN.init)
        guard let type = row[0] else { return State(name: name, exists: false, serverLSN: server) }
        guard type == "physical" else {
            throw LifeboatError(.conflict, "replication slot \"\(name)\" exists but is a \(type) slot; wal-stream needs a physical one",
                                hint: "choose another --slot name, or drop that slot if nothing uses it")
        }
        return State(name: name, exists: true, restartLSN: row[1].flatMap(LSN.init), walStatus: row[2], active: row[3] == "t",
                     activePID: row[4].flatMap { Int($0) }, serverLSN: server)
    }

    /// Creates the slot with `pg_receivewal --create-slot --if-not-exists` over a replication connection (the same
    /// privileges the streaming needs), reserving WAL from now on.
    public static func create(_ name: String, binaries: PostgresBinaries, environment: [String: String]) async throws {
        let tool = try binaries.path("pg_receivewal")
        _ = try await ChildProcess.run(tool, ["--create-slot", "--if-not-exists", "--slot", name, "--no-password"], environment: environment,
                                       what: "creating replication slot \"\(name)\"")
    }

    /// Drops the slot if it exists (one statement, so a slot dropped meanwhile is no error); true when it did.
    /// Fails when the slot is in use. Blocking: call it from `runBlocking`.
    public static func dropInactive(_ name: String, connection: PGConnection) throws -> Bool {
        let rows = try connection.query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", [name])
        return !rows.isEmpty
    }

    /// What `drop` did.
    public enum DropOutcome: Sendable, Hashable {
        /// The slot was dropped.
        case dropped
        /// There was no such slot.
        case absent
    }

    /// Drops the slot; an absent slot is not an error. A slot still in use is waited for up to `wait` seconds (the
    /// streamer's pod may still be stopping), then refused with the walsender's process id.
    public static func drop(_ name: String, connection: PGConnection, wait: Double) async throws -> DropOutcome {
        let deadline = Date().addingTimeInterval(wait)
        while true {
            let state = try await runBlocking { try inspect(name, connection: connection) }
            guard state.exists else { return .absent }
            if !state.active {
                do {
                    return try await runBlocking { try dropInactive(name, connection: connection) } ? .dropped : .absent
                } catch let error as LifeboatError where error.message.contains("is active") {
                    // Someone started streaming between our look and the drop: wait like for an active slot.
                }
            }
            guard Date() < deadline else {
                throw LifeboatError(.conflict, "replication slot \"\(name)\" is in use (walsender process \(state.activePID.map(String.init) ?? "?")) and was not dropped",
                                    hint: "stop the `lifeboat wal-stream` (or other client) using it, then run again")
            }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
    }
}
