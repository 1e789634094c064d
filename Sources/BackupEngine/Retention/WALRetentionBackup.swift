import Foundation

/// What WAL retention needs to know of a base backup.
public struct WALRetentionBackup: Sendable, Hashable {
    /// The backup id.
    public var id: String
    /// The timeline it started on.
    public var timeline: UInt32
    /// Its start LSN (recovery replays from here).
    public var startLSN: LSN
    /// Its stop LSN (consistent from here).
    public var stopLSN: LSN
    /// When it started.
    public var startedAt: Date
    /// Whether backup retention keeps it.
    public var keep: Bool

    /// Creates a record.
    public init(id: String, timeline: UInt32, startLSN: LSN, stopLSN: LSN, startedAt: Date, keep: Bool) {
        self.id = id
        self.timeline = timeline
        self.startLSN = startLSN
        self.stopLSN = stopLSN
        self.startedAt = startedAt
        self.keep = keep
    }
}
