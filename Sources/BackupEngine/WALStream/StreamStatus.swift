import Foundation

/// What `lifeboat wal-stream` last reported about one replication slot, kept as a small replaceable object in the
/// repository (`clusters/<cluster>/stream/<slot>.json`) so `lifeboat check` and people can read it without a
/// connection to the streamer.
public struct StreamStatus: Codable, Sendable, Hashable {
    /// The format tag, `lifeboat-stream-status/1`.
    public static let currentFormat = "lifeboat-stream-status/1"
    /// Gaps kept in the object (the oldest are dropped beyond this; the log keeps them all).
    public static let maximumGaps = 50

    /// `lifeboat-stream-status/1`.
    public var format: String
    /// The replication slot.
    public var slot: String
    /// The cluster's system identifier.
    public var systemIdentifier: String
    /// The timeline of the last shipped WAL.
    public var timeline: UInt32?
    /// The end of the WAL known to be in the repository (for a partial segment: the end of its last non-zero byte).
    public var lastShippedLSN: LSN?
    /// The last WAL file shipped (a segment, or `<segment>.partial`).
    public var lastShippedWAL: String?
    /// When something was last shipped.
    public var lastShippedAt: Date?
    /// The partial-segment interval in seconds: the RPO if the server dies.
    public var partialIntervalSeconds: Double
    /// The slot's `restart_lsn` (nil when the slot is missing or lost).
    public var slotRestartLSN: LSN?
    /// The server's current WAL position when last asked.
    public var serverLSN: LSN?
    /// `pg_current_wal_lsn() - restart_lsn` in bytes: WAL the server keeps for this slot.
    public var slotLagBytes: Int64?
    /// `pg_replication_slots.wal_status` (`reserved`, `extended`, `unreserved`, `lost`), or `missing`.
    public var walStatus: String?
    /// True while the streamer runs; false after a clean stop.
    public var running: Bool
    /// When this object was written.
    public var updatedAt: Date
    /// Every gap noticed so far, oldest first (at most `maximumGaps`).
    public var gaps: [StreamGap]

    /// A fresh status for `slot` of `identity`.
    public init(slot: String, identity: ClusterIdentity, partialIntervalSeconds: Double, updatedAt: Date = Date()) {
        format = Self.currentFormat
        self.slot = slot
        systemIdentifier = identity.systemIdentifier
        self.partialIntervalSeconds = partialIntervalSeconds
        running = true
        self.updatedAt = updatedAt
        gaps = []
    }

    /// Where the status of `slot` is kept.
    public static func path(identity: ClusterIdentity, slot: String) -> String {
        identity.folder + "stream/\(slot).json"
    }

    /// Reads the status of `slot`, or nil when no streamer ever wrote one.
    public static func load(slot: String, identity: ClusterIdentity, from repository: Repository) async throws -> StreamStatus? {
        let path = path(identity: identity, slot: slot)
        guard try await repository.storage.head(path: path) != nil else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try await repository.storage.readAll(path: path)
        } catch let error as LifeboatError where error.code == .notFound {
            return nil
        }
        return try decode(bytes, path: path)
    }

    /// Every stream status of `identity` (one per slot ever streamed), ordered by slot.
    public static func loadAll(identity: ClusterIdentity, from repository: Repository) async throws -> [StreamStatus] {
        var result: [StreamStatus] = []
        for object in try await repository.storage.list(prefix: identity.folder + "stream/") where object.path.hasSuffix(".json") {
            do {
                result.append(try decode(try await repository.storage.readAll(path: object.path), path: object.path))
            } catch let error as LifeboatError where error.code == .notFound {
                continue
            }
        }
        return result.sorted { $0.slot < $1.slot }
    }

    /// Writes (replaces) the status object.
    public func save(identity: ClusterIdentity, to repository: Repository) async throws {
        try await repository.storage.writeAll(path: Self.path(identity: identity, slot: slot), bytes: try encoded(), createOnly: false)
    }

    /// Records a gap, keeping at most `maximumGaps`.
    public mutating func record(_ gap: StreamGap) {
        gaps.append(gap)
        if gaps.count > Self.maximumGaps { gaps.removeFirst(gaps.count - Self.maximumGaps) }
    }

    /// The JSON bytes (pretty, sorted keys, ISO 8601 times).
    public func encoded() throws -> [UInt8] {
        let encoder = Timestamps.jsonEncoder()
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Parses a status object.
    public static func decode(_ bytes: [UInt8], path: String) throws -> StreamStatus {
        let decoder = Timestamps.jsonDecoder()
        let status: StreamStatus
        do {
            status = try decoder.decode(StreamStatus.self, from: Data(bytes))
        } catch {
            throw LifeboatError(.integrity, "the stream status \(path) is not valid: \(error)", hint: "it is rewritten by the next `lifeboat wal-stream` run; delete it if no streamer uses this slot any more")
        }
        guard status.format == currentFormat else {
            throw LifeboatError(.repository, "the stream status \(path) has format \(status.format), which this lifeboat does not read", hint: "upgrade lifeboat")
        }
        return status
    }
}
