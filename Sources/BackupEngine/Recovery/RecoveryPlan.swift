/// What a point-in-time recovery will do, decided before anything is touched.
public struct RecoveryPlan: Sendable, Hashable {
    /// The base backup to start from.
    public var backup: BackupManifest
    /// The target as asked, with the timeline resolved to a number.
    public var target: RecoveryTarget
    /// The timeline recovery follows.
    public var timeline: UInt32
    /// The window of that timeline.
    public var window: RecoveryWindow
    /// Where recovery is expected to stop, when known ahead: the LSN target, the commit of the xid, the restore point,
    /// the backup's stop (immediate), the last record (latest).
    public var expectedStop: LSN?
    /// The first WAL segment recovery needs (holding the backup's start).
    public var firstSegment: WALFileName
    /// What the planner found or could not check, for the person running it.
    public var notes: [String]

    /// Creates a plan.
    public init(backup: BackupManifest, target: RecoveryTarget, timeline: UInt32, window: RecoveryWindow, expectedStop: LSN?, firstSegment: WALFileName, notes: [String]) {
        self.backup = backup
        self.target = target
        self.timeline = timeline
        self.window = window
        self.expectedStop = expectedStop
        self.firstSegment = firstSegment
        self.notes = notes
    }
}
