import Foundation

/// How far back and forward a point-in-time recovery can go along one timeline, and where WAL is missing.
///
/// - `first`: the stop point of the earliest base backup on the timeline's path whose own WAL (start to stop) is
///   archived — nothing before it can be recovered.
/// - `last`: the end of the last unbroken run of segments reachable from a usable base backup — nothing after it.
/// - `gaps`: every run of missing segments between archived ones, per timeline; a target past a gap can only be
///   reached from a base backup taken after it.
public struct RecoveryWindow: Sendable, Hashable {
    /// A recoverable point.
    public struct Point: Sendable, Hashable, CustomStringConvertible {
        /// The WAL position.
        public var lsn: LSN
        /// The timeline it is on.
        public var timeline: UInt32
        /// When, as far as the archive knows (a base backup's finish time, or the last commit in the WAL).
        public var time: Date?
        /// The base backup this point belongs to (for `first`).
        public var backupId: String?
        /// The segment this point is in.
        public var segment: WALFileName

        /// `0/5000000 on timeline 1 (2026-11-21T10:15:00.000Z, backup …)`.
        public var description: String {
            var parts: [String] = []
            if let time { parts.append(Timestamps.format(time)) }
            if let backupId { parts.append("base backup \(backupId)") }
            return "\(lsn) on timeline \(timeline)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        }
    }

    /// Missing segments between archived ones on one timeline.
    public struct Gap: Sendable, Hashable, CustomStringConvertible {
        /// The timeline.
        public var timeline: UInt32
        /// The first missing segment.
        public var first: WALFileName
        /// The last missing segment.
        public var last: WALFileName

        /// How many segments are missing.
        public var count: UInt64 { last.segmentNumber - first.segmentNumber + 1 }

        /// `000000010000000000000005 … 000000010000000000000007 (3 segments)`.
        public var description: String {
            count == 1 ? "\(first) (1 segment)" : "\(first) … \(last) (\(count) segments)"
        }
    }

    /// The timeline this window is for.
    public var timeline: UInt32
    /// `wal_segment_size` of the cluster.
    public var segmentSize: UInt64
    /// The path to it.
    public var lineage: TimelineLineage
    /// The earliest recoverable point, or nil when no base backup is usable.
    public var first: Point?
    /// The latest recoverable point, or nil when no base backup is usable. `lsn` is the end of its segment until the
    /// WAL is inspected (then the last record's position, and `time` its last commit time).
    public var last: Point?
    /// Gaps on every timeline of the archive.
    public var gaps: [Gap]
    /// Base backups that cannot be used on this path, and why.
    public var unusable: [String: String]
    /// Problems a person should know (a history file missing, for example).
    public var problems: [String]

    /// Computes the window of `timeline` (default: the archive's newest).
    public init(snapshot: ArchiveSnapshot, timeline: UInt32? = nil) {
        let timeline = timeline ?? snapshot.newestTimeline
        let lineage = snapshot.lineage(to: timeline)
        self.timeline = timeline
        self.segmentSize = snapshot.segmentSize
        self.lineage = lineage
        var problems: [String] = []
        if timeline > 1, snapshot.histories[timeline] == nil {
            problems.append("the history file of timeline \(timeline) (\(WALFileName.history(timeline: timeline))) is not archived, so its ancestors are unknown")
        }
        var unusable: [String: String] = [:]
        var usable: [(BackupManifest, WALFileName)] = []
        for backup in snapshot.baseBackups {
            let physical = backup.physical!
            guard lineage.contains(timeline: physical.timeline, from: physical.startLSN, to: physical.stopLSN) else {
                unusable[backup.id] = "it was taken on timeline \(physical.timeline), which is not on the path to timeline \(timeline)"
                continue
            }
            let size = snapshot.segmentSize
            let from = physical.startLSN.segmentNumber(segmentSize: size), through = physical.stopLSN.segmentNumber(segmentSize: size)
            if let missing = snapshot.firstMissing(on: lineage, from: from, through: through) {
                unusable[backup.id] = "WAL segment \(missing), needed to make it consistent, is not archived"
                continue
            }
            usable.append((backup, snapshot.runEnd(on: lineage, from: from)!))
        }
        if let earliest = usable.first?.0, let physical = earliest.physical {
            first = Point(lsn: physical.stopLSN, timeline: physical.timeline, time: earliest.finishedAt, backupId: earliest.id,
                          segment: WALFileName.segment(containing: physical.stopLSN, timeline: physical.timeline, segmentSize: snapshot.segmentSize))
        } else {
            first = nil
        }
        if let end = usable.map({ $0.1 }).max(by: { $0.segmentNumber < $1.segmentNumber }) {
            last = Point(lsn: LSN((end.segmentNumber + 1) * snapshot.segmentSize), timeline: end.timeline, time: nil, backupId: nil, segment: end)
        } else {
            last = nil
        }
        self.gaps = Self.gaps(in: snapshot)
        self.unusable = unusable
        self.problems = problems
    }

    /// The gaps of the archive, by timeline then position.
    public static func gaps(in snapshot: ArchiveSnapshot) -> [Gap] {
        var gaps: [Gap] = []
        for timeline in snapshot.segments.keys.sorted() {
            let numbers = snapshot.segments[timeline]!.sorted()
            for (previous, next) in zip(numbers, numbers.dropFirst()) where next > previous + 1 {
                gaps.append(Gap(timeline: timeline,
                                first: WALFileName(timeline: timeline, segmentNumber: previous + 1, segmentSize: snapshot.segmentSize),
                                last: WALFileName(timeline: timeline, segmentNumber: next - 1, segmentSize: snapshot.segmentSize)))
            }
        }
        return gaps
    }

    /// The gaps on the path this window follows (those that can break a recovery to its timeline).
    public var gapsOnPath: [Gap] {
        gaps.filter { gap in
            lineage.timelines.contains(gap.timeline)
                && (gap.first.segmentNumber...gap.last.segmentNumber).contains(where: { lineage.timeline(ofSegment: $0, segmentSize: segmentSize) == gap.timeline })
        }
    }

    /// One line for people: `recoverable from … to …; gaps: …`.
    public var summary: String {
        guard let first, let last else {
            return "nothing is recoverable on timeline \(timeline): no base backup whose WAL is archived" + (gaps.isEmpty ? "" : "; gaps: " + gaps.map(\.description).joined(separator: ", "))
        }
        var text = "recoverable on timeline \(timeline) from \(first) to \(last)"
        if !gapsOnPath.isEmpty { text += "; WAL missing: " + gapsOnPath.map(\.description).joined(separator: ", ") }
        return text
    }
}
