import Foundation

/// A stretch of WAL that may never reach the archive: recorded (in the stream status object and as an error log
/// line) whenever `wal-stream` cannot prove continuity, and never cleared by the streamer itself.
///
/// Point-in-time recovery cannot cross a gap; base backups taken after `to` start a new recoverable window.
public struct StreamGap: Codable, Sendable, Hashable {
    /// Why continuity was lost.
    public enum Reason: String, Codable, Sendable, Hashable {
        /// The replication slot was missing (dropped by hand, or not carried over by a failover) and had to be created
        /// anew while the archive or the spool already held WAL: the server may have recycled WAL in between.
        case slotCreated
        /// The slot exists but PostgreSQL invalidated it (`wal_status = 'lost'`, `max_slot_wal_keep_size` exceeded):
        /// WAL it should have kept was removed.
        case slotLost
        /// The server refused to stream from where the spool ends ("requested WAL segment … has already been
        /// removed"): the streamer restarts from the slot's position.
        case walRemoved
    }

    /// Why it happened.
    public var reason: Reason
    /// When the streamer noticed.
    public var detectedAt: Date
    /// The first position that may be missing: the end of the last WAL the archive or spool had (nil: unknown).
    public var from: LSN?
    /// The first position streamed again (the new slot's `restart_lsn`; nil: unknown).
    public var to: LSN?
    /// A sentence for people: what happened and what to do.
    public var message: String

    /// Creates a record.
    public init(reason: Reason, detectedAt: Date, from: LSN?, to: LSN?, message: String) {
        self.reason = reason
        self.detectedAt = detectedAt
        self.from = from
        self.to = to
        self.message = message
    }

    /// `0/3000000 – 0/5000028`, or `unknown` ends.
    public var rangeDescription: String {
        "\(from?.description ?? "unknown") – \(to?.description ?? "unknown")"
    }
}
