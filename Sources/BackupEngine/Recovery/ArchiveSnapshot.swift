import Foundation

/// What a repository holds for one cluster, as the recovery window and the planner need it: archived WAL segments
/// per timeline, the timeline history files, and the base backups. Pure data; `load` reads it from a repository.
public struct ArchiveSnapshot: Sendable, Hashable {
    /// `wal_segment_size` of the cluster.
    public var segmentSize: UInt64
    /// Archived complete segments (not `.partial`), by timeline.
    public var segments: [UInt32: Set<UInt64>]
    /// Archived `.partial` segments (the unfinished end of a timeline, shipped by `wal-stream` or at promotion), by timeline.
    /// `wal-fetch` serves one when the complete segment is not archived, so a partial can end an unbroken run.
    public var partials: [UInt32: Set<UInt64>] = [:]
    /// Archived history files, by the timeline they describe.
    public var histories: [UInt32: TimelineHistory]
    /// Base backups of this cluster with their physical details, oldest first.
    public var baseBackups: [BackupManifest]

    /// Creates a snapshot.
    public init(segmentSize: UInt64, segments: [UInt32: Set<UInt64>], histories: [UInt32: TimelineHistory] = [:], baseBackups: [BackupManifest]) {
        self.segmentSize = segmentSize
        self.segments = segments
        self.histories = histories
        self.baseBackups = baseBackups.filter { $0.kind == .base && $0.physical != nil }.sorted { ($0.physical!.stopLSN, $0.id) < ($1.physical!.stopLSN, $1.id) }
    }

    /// Reads the archive of `archive.identity` and its base backups.
    public static func load(_ archive: WALArchive, keyring: EncryptionKeyring?) async throws -> ArchiveSnapshot {
        var segments: [UInt32: Set<UInt64>] = [:]
        var partials: [UInt32: Set<UInt64>] = [:]
        var historyTimelines: [UInt32] = []
        for file in try await archive.list() {
            switch file.name.kind {
            case .segment: segments[file.name.timeline, default: []].insert(file.name.segmentNumber)
            case .history: historyTimelines.append(file.name.timeline)
            case .partial: partials[file.name.timeline, default: []].insert(file.name.segmentNumber)
            case .backupHistory: break
            }
        }
        var histories: [UInt32: TimelineHistory] = [:]
        for timeline in historyTimelines {
            if let history = try await archive.history(timeline: timeline, keyring: keyring) { histories[timeline] = history }
        }
        let backups = try await archive.repository.backups().filter {
            $0.kind == .base && $0.physical?.systemIdentifier == archive.identity.systemIdentifier
                && $0.serverVersionNumber / 10000 == archive.identity.majorVersion
        }
        var snapshot = ArchiveSnapshot(segmentSize: archive.identity.walSegmentSize, segments: segments, histories: histories, baseBackups: backups)
        snapshot.partials = partials
        return snapshot
    }

    /// The newest timeline anything in the archive is on (1 when empty).
    public var newestTimeline: UInt32 {
        (Array(segments.keys) + Array(histories.keys) + baseBackups.map { $0.physical!.timeline }).max() ?? 1
    }

    /// The path recovery to `timeline` follows.
    public func lineage(to timeline: UInt32) -> TimelineLineage {
        TimelineLineage(timeline: timeline, history: histories[timeline])
    }

    /// Whether the segment is archived.
    public func has(_ name: WALFileName) -> Bool {
        segments[name.timeline]?.contains(name.segmentNumber) ?? false
    }

    /// Whether the segment is archived complete or as a `.partial` (which `wal-fetch` serves in its place).
    public func available(_ name: WALFileName) -> Bool {
        has(name) || partials[name.timeline]?.contains(name.segmentNumber) == true
    }

    /// The first segment missing on `lineage` from segment `first` through `last` (inclusive), or nil when all are
    /// there (complete, or for the last one possibly as a `.partial`).
    public func firstMissing(on lineage: TimelineLineage, from first: UInt64, through last: UInt64) -> WALFileName? {
        guard first <= last else { return nil }
        for number in first...last {
            let name = lineage.segment(number, segmentSize: segmentSize)
            if number == last ? !available(name) : !has(name) { return name }
        }
        return nil
    }

    /// The last segment of the unbroken run on `lineage` that starts at segment `first`, or nil when `first` itself
    /// is missing. A `.partial` of the segment after the run ends it (its kind is then `.partial`).
    public func runEnd(on lineage: TimelineLineage, from first: UInt64) -> WALFileName? {
        var number = first
        var last: WALFileName?
        while true {
            var name = lineage.segment(number, segmentSize: segmentSize)
            guard has(name) else {
                guard partials[name.timeline]?.contains(number) == true else { return last }
                name.kind = .partial
                return name
            }
            last = name
            number += 1
        }
    }

    /// The highest archived segment on `lineage` (any timeline of it, read where the path reads it), complete or
    /// (kind `.partial`) only as a `.partial`.
    public func lastSegment(on lineage: TimelineLineage) -> WALFileName? {
        var best: WALFileName?
        for span in lineage.spans {
            let numbers = (segments[span.timeline] ?? []).union(partials[span.timeline] ?? [])
            for number in numbers where lineage.timeline(ofSegment: number, segmentSize: segmentSize) == span.timeline {
                if best.map({ number > $0.segmentNumber }) ?? true {
                    best = WALFileName(timeline: span.timeline, segmentNumber: number, segmentSize: segmentSize,
                                       kind: segments[span.timeline]?.contains(number) == true ? .segment : .partial)
                }
            }
        }
        return best
    }
}
