import BackupEngine
import Foundation

/// Archives described in a few words, for the window and planner tables. Segment size 16 MiB: segment n covers
/// LSN n*0x1000000 …, so `0/5000028` is in segment 5.
enum RecoveryFixtures {
    static let size = WALFileName.defaultSegmentSize
    static let base = Date(timeIntervalSince1970: 1_800_000_000)

    /// A base backup on `timeline` from `start` to `stop`, finished at `base + finishedAfter` seconds.
    static func backup(_ id: String, timeline: UInt32 = 1, start: String, stop: String, finishedAfter: TimeInterval) -> BackupManifest {
        let startLSN = LSN(start)!, stopLSN = LSN(stop)!
        return BackupManifest(
            id: id, kind: .base, startedAt: base.addingTimeInterval(finishedAfter - 1), finishedAt: base.addingTimeInterval(finishedAfter),
            serverVersion: "15.8", serverVersionNumber: 150008, toolVersion: "pg_basebackup 15.8", databases: [], objects: [],
            compression: "zstd", compressionLevel: nil, encryptionKeyId: nil, options: .init(),
            physical: .init(systemIdentifier: "7301234567890123456", timeline: timeline, startLSN: startLSN, stopLSN: stopLSN,
                            startWAL: WALFileName.segment(containing: startLSN, timeline: timeline, segmentSize: size).description,
                            stopWAL: WALFileName.segment(containing: stopLSN, timeline: timeline, segmentSize: size).description,
                            walSegmentSize: size, compressionSide: "client", postgresManifest: true))
    }

    /// A snapshot with `segments` (timeline → segment numbers), history texts and backups.
    static func snapshot(_ segments: [UInt32: ClosedRange<UInt64>], missing: [UInt32: [UInt64]] = [:], histories: [UInt32: String] = [:],
                         backups: [BackupManifest]) throws -> ArchiveSnapshot {
        var sets: [UInt32: Set<UInt64>] = [:]
        for (timeline, range) in segments { sets[timeline] = Set(range).subtracting(missing[timeline] ?? []) }
        var parsed: [UInt32: TimelineHistory] = [:]
        for (timeline, text) in histories { parsed[timeline] = try TimelineHistory(timeline: timeline, text: text) }
        return ArchiveSnapshot(segmentSize: size, segments: sets, histories: parsed, baseBackups: backups)
    }

    /// The time `seconds` after `base`.
    static func time(_ seconds: Double) -> TargetTime { TargetTime(base.addingTimeInterval(seconds)) }
}

/// WAL records by segment, standing in for pg_waldump over archived segments in the planner tables (the real reader
/// is exercised by the integration tests).
struct RecordTable: WALRecordSource {
    var bySegment: [WALFileName: [WALRecordSummary]]

    func records(on lineage: TimelineLineage, from first: UInt64, through last: UInt64) async throws -> [WALRecordSummary] {
        guard first <= last else { return [] }
        return (first...last).flatMap { bySegment[lineage.segment($0, segmentSize: RecoveryFixtures.size)] ?? [] }
    }

    /// A commit of `xid` at `lsn`, `seconds` after the fixtures' base time.
    static func commit(_ lsn: String, xid: UInt64, at seconds: Double) -> WALRecordSummary {
        WALRecordSummary(lsn: LSN(lsn)!, xid: xid, kind: .commit(RecoveryFixtures.time(seconds)))
    }
}
