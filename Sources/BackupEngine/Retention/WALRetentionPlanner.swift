import Foundation

/// Decides which archived WAL files retention keeps. Pure: the same input gives the same plan.
///
/// - Timeline history files are always kept (they are tiny, and recovery needs them to follow timelines).
/// - The PITR window: WAL is kept whole from the start LSN of the *anchor* base backup, and from every kept base backup
///   newer than it, along the timeline history: a file on timeline T is kept when T is the backup's timeline or
///   descends from it at a point past the backup's start (T's history says the backup's timeline holds its start LSN),
///   and the file ends after that start LSN. The anchor is the newest kept base backup that started at or before
///   `now - pitrWindow` (so the whole window is recoverable), or the oldest kept one when none is that old; without a
///   window it is the oldest kept base backup (every kept backup can be rolled forward to the end of the archive).
/// - Older kept base backups keep only the segments from their start to their stop segment, on their timeline: enough
///   to make them consistent, not to roll them forward.
/// - A timeline whose history file is missing might descend from a kept backup: its WAL is kept, and the reason says so.
/// - With no kept base backup at all nothing is deleted: WAL may be accumulating for the first one.
public enum WALRetentionPlanner {
    /// Plans `files` against `backups` (their `keep` already decided by backup retention).
    public static func plan(
        files: [WALFileName], backups: [WALRetentionBackup], histories: [UInt32: TimelineHistory], pitrWindow: TimeInterval?, now: Date,
        segmentSize: UInt64
    ) -> [WALRetentionDecision] {
        let kept = backups.filter(\.keep).sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        let sorted = files.sorted()
        guard let oldest = kept.first else {
            return sorted.map { WALRetentionDecision(name: $0, keep: true, reason: "no base backup is kept: WAL is not pruned until one exists") }
        }
        var anchor = oldest
        if let pitrWindow {
            let windowStart = now.addingTimeInterval(-pitrWindow)
            anchor = kept.last { $0.startedAt <= windowStart } ?? oldest
        }
        let inWindow = kept.filter { ($0.startedAt, $0.id) >= (anchor.startedAt, anchor.id) }
        let older = kept.filter { ($0.startedAt, $0.id) < (anchor.startedAt, anchor.id) }
        let windowText = pitrWindow.map { "the PITR window of \(DurationText.format($0))" } ?? "the PITR window (from the oldest kept base backup)"

        return sorted.map { name in
            if name.kind == .history {
                return WALRetentionDecision(name: name, keep: true, reason: "timeline history file: always kept")
            }
            let segmentStart = name.segmentNumber * segmentSize
            let segmentEnd = segmentStart + segmentSize
            for backup in inWindow where segmentEnd > backup.startLSN.value {
                switch reach(name.timeline, from: backup, histories: histories) {
                case .yes:
                    return WALRetentionDecision(name: name, keep: true, reason: "inside \(windowText): after the start \(backup.startLSN) of base backup \(backup.id) on timeline \(backup.timeline)")
                case .unknown:
                    return WALRetentionDecision(name: name, keep: true, reason: "timeline \(name.timeline) has no history file in the archive, so it may continue base backup \(backup.id): kept")
                case .no:
                    continue
                }
            }
            for backup in older where backup.timeline == name.timeline {
                let first = backup.startLSN.segmentNumber(segmentSize: segmentSize)
                let last = backup.stopLSN.segmentNumber(segmentSize: segmentSize)
                if (first...last).contains(name.segmentNumber) {
                    return WALRetentionDecision(name: name, keep: true, reason: "makes base backup \(backup.id) consistent (its WAL \(backup.startLSN)–\(backup.stopLSN))")
                }
            }
            if reach(name.timeline, from: anchor, histories: histories) == .yes {
                return WALRetentionDecision(name: name, keep: false, reason: "before the start \(anchor.startLSN) of base backup \(anchor.id), where \(windowText) begins, and needed by no older kept base backup")
            }
            return WALRetentionDecision(name: name, keep: false, reason: "timeline \(name.timeline) does not continue any kept base backup of \(windowText), and no older kept base backup needs it")
        }
    }

    /// Groups consecutive decisions of one timeline with the same outcome and reason, for reports.
    public static func runs(_ decisions: [WALRetentionDecision]) -> [(first: WALFileName, last: WALFileName, count: Int, keep: Bool, reason: String)] {
        var runs: [(first: WALFileName, last: WALFileName, count: Int, keep: Bool, reason: String)] = []
        for decision in decisions {
            if let last = runs.last, last.keep == decision.keep, last.reason == decision.reason, last.last.timeline == decision.name.timeline {
                runs[runs.count - 1].last = decision.name
                runs[runs.count - 1].count += 1
            } else {
                runs.append((decision.name, decision.name, 1, decision.keep, decision.reason))
            }
        }
        return runs
    }

    private enum Reach { case yes, no, unknown }

    /// Whether WAL of `timeline` past `backup`'s start is on a path recovery from that backup can follow.
    private static func reach(_ timeline: UInt32, from backup: WALRetentionBackup, histories: [UInt32: TimelineHistory]) -> Reach {
        if timeline == backup.timeline { return .yes }
        // Timeline ids only grow: an older timeline never continues a newer one.
        guard timeline > backup.timeline else { return .no }
        guard let history = histories[timeline] else { return .unknown }
        return history.timeline(containing: backup.startLSN) == backup.timeline ? .yes : .no
    }
}
