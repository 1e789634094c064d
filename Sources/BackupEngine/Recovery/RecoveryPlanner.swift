import Foundation

/// Chooses the base backup for a recovery target and refuses, before anything is touched, a target the archive
/// cannot reach: before the earliest usable base backup's end, past the end of the archive, or across a missing
/// segment — saying what the window is.
///
/// How each target is checked:
/// - LSN: the base backup's stop must be at or before it, every segment from the backup's start to the target's must
///   be archived, and a record at or after it must exist (the last archived segment is read with pg_waldump).
/// - time: base backups count from their finish time (a conservative stand-in for the stop point's time); PostgreSQL
///   stops at the first commit or abort after the target, so one must exist in the unbroken WAL run that follows the
///   chosen backup (its last segments are read with pg_waldump, walking back to the last one with a commit).
/// - xid and restore point: the WAL from the earliest usable backup onward is searched with pg_waldump (up to
///   `maxScanSegments`; past that the target is said to be unchecked and the earliest usable backup is used).
/// - immediate: the newest usable backup. latest: the newest usable backup, refused when a gap lies between it and
///   the last archived segment (recovery would stop at the gap and silently lose what follows).
public struct RecoveryPlanner: Sendable {
    /// What the archive holds.
    public var snapshot: ArchiveSnapshot
    /// Reads WAL records when a target needs it.
    public var records: any WALRecordSource
    /// The most segments searched for an xid or a restore point.
    public var maxScanSegments: UInt64 = 1024

    /// Creates a planner.
    public init(snapshot: ArchiveSnapshot, records: any WALRecordSource) {
        self.snapshot = snapshot
        self.records = records
    }

    /// Plans recovery to `target`, from the base backup `backupId` when given.
    public func plan(_ target: RecoveryTarget, backupId: String? = nil) async throws -> RecoveryPlan {
        let size = snapshot.segmentSize
        if let backupId, !snapshot.baseBackups.contains(where: { $0.id == backupId }) {
            throw LifeboatError(.notFound, "there is no base backup \"\(backupId)\" of this cluster",
                                hint: "base backups: " + (snapshot.baseBackups.isEmpty ? "none yet" : snapshot.baseBackups.map(\.id).joined(separator: ", ")))
        }
        let timeline: UInt32
        switch target.timeline {
        case .latest: timeline = snapshot.newestTimeline
        case .number(let n): timeline = n
        case .current:
            let chosen = snapshot.baseBackups.last { backupId == nil || $0.id == backupId }
            timeline = chosen?.physical?.timeline ?? snapshot.newestTimeline
        }
        var window = RecoveryWindow(snapshot: snapshot, timeline: timeline)
        let lineage = window.lineage
        guard window.first != nil else {
            throw refusal("nothing can be recovered on timeline \(timeline): no base backup has its WAL archived", window)
        }
        var usable = snapshot.baseBackups.filter { window.unusable[$0.id] == nil }
        if let backupId {
            if let why = window.unusable[backupId] { throw refusal("base backup \(backupId) cannot be used: \(why)", window) }
            usable = usable.filter { $0.id == backupId }
        }
        func startSegment(_ backup: BackupManifest) -> UInt64 { backup.physical!.startLSN.segmentNumber(segmentSize: size) }
        func runEnd(_ backup: BackupManifest) -> WALFileName { snapshot.runEnd(on: lineage, from: startSegment(backup))! }
        var resolved = target
        if case .current = target.timeline { resolved.timeline = .number(timeline) }
        let resolvedTarget = resolved
        let make: @Sendable (BackupManifest, LSN?, [String], RecoveryWindow) -> RecoveryPlan = { backup, stop, notes, window in
            RecoveryPlan(backup: backup, target: resolvedTarget, timeline: timeline, window: window, expectedStop: stop,
                         firstSegment: lineage.segment(backup.physical!.startLSN.segmentNumber(segmentSize: size), segmentSize: size), notes: notes)
        }
        let lastOnPath = snapshot.lastSegment(on: lineage)!

        switch target.point {
        case .immediate:
            let backup = usable.last!
            return make(backup, backup.physical!.stopLSN, [], window)

        case .latest:
            let backup = usable.last!
            let end = runEnd(backup)
            if end.segmentNumber < lastOnPath.segmentNumber {
                let missing = lineage.segment(end.segmentNumber + 1, segmentSize: size)
                throw refusal("recovery to the end of the archive would stop at missing segment \(missing) and lose the WAL archived after it (up to \(lastOnPath))", window,
                              hint: "take a new base backup (recovery from it does not need the missing WAL), or recover to a target before \(missing.startLSN(segmentSize: size))")
            }
            let tail = try await lastActivity(lineage: lineage, end: end, floor: startSegment(backup))
            window.last = refined(window.last, tail)
            return make(backup, tail.lastRecord, [], window)

        case .lsn(let lsn):
            return try await planPosition(lsn, what: "LSN \(lsn)", usable: usable, window: &window, make: make)

        case .time(let time):
            let first = window.first!
            let candidates = usable.filter { TargetTime($0.finishedAt) <= time }
            guard !candidates.isEmpty else {
                throw refusal("\(RecoveryTarget.describe(target.point)) is before the first recoverable point \(first)" + (backupId.map { " (of base backup \($0))" } ?? ""), window,
                              hint: "choose a later time; nothing before the end of the earliest base backup can be recovered")
            }
            var lastSeen: (end: WALFileName, tail: Activity)?
            for backup in candidates.reversed() {
                let end = runEnd(backup)
                let tail = try await lastActivity(lineage: lineage, end: end, floor: startSegment(backup))
                if lastSeen == nil || end.segmentNumber > lastSeen!.end.segmentNumber { lastSeen = (end, tail) }
                guard let last = tail.lastTransactionTime else { continue }
                if (target.inclusive ? last > time : last >= time) {
                    return make(backup, nil, [], window)
                }
            }
            let end = lastSeen!.end
            window.last = refined(window.last, lastSeen!.tail)
            let lastTime = lastSeen!.tail.lastTransactionTime.map { "last commit in the archive at \($0)" } ?? "no commit in the archived WAL"
            if end.segmentNumber < lastOnPath.segmentNumber {
                let missing = lineage.segment(end.segmentNumber + 1, segmentSize: size)
                throw refusal("\(RecoveryTarget.describe(target.point)) lies beyond missing WAL segment \(missing) (\(lastTime) before it)", window,
                              hint: "recover to a time before the gap, or take a new base backup after it")
            }
            throw refusal("\(RecoveryTarget.describe(target.point)) is past the end of the archive (\(lastTime)); PostgreSQL stops at the first commit after the target, and there is none", window,
                          hint: "choose an earlier time, or --target latest to replay everything archived")

        case .xid(let xid):
            let found = try await search(usable: usable, lineage: lineage, lastOnPath: lastOnPath) { record in
                record.xid == xid && record.transactionTime != nil
            }
            switch found {
            case .found(let lsn):
                return try await planPosition(lsn, what: "transaction \(xid) (its commit at \(lsn))", usable: usable, window: &window, make: make,
                                              notes: ["transaction \(xid) ends at \(lsn) in the archived WAL"])
            case .notFound(let range):
                throw refusal("transaction \(xid) has no commit or abort in the archived WAL \(range)", window,
                              hint: "it may have ended before the first recoverable point, or not yet; check the id (SELECT txid_current() in the transaction)")
            case .tooLong(let backup, let note):
                return make(backup, nil, [note], window)
            }

        case .name(let name):
            let found = try await search(usable: usable, lineage: lineage, lastOnPath: lastOnPath) { record in
                record.kind == .restorePoint(name)
            }
            switch found {
            case .found(let lsn):
                return try await planPosition(lsn, what: "restore point \"\(name)\" (at \(lsn))", usable: usable, window: &window, make: make,
                                              notes: ["restore point \"\(name)\" is at \(lsn) in the archived WAL"])
            case .notFound(let range):
                throw refusal("restore point \"\(name)\" is not in the archived WAL \(range)", window,
                              hint: "names are case-sensitive; a restore point made before the first recoverable point cannot be reached")
            case .tooLong(let backup, let note):
                return make(backup, nil, [note], window)
            }
        }
    }

    // MARK: - Positions

    private func planPosition(_ lsn: LSN, what: String, usable: [BackupManifest], window: inout RecoveryWindow,
                              make: (BackupManifest, LSN?, [String], RecoveryWindow) -> RecoveryPlan, notes: [String] = []) async throws -> RecoveryPlan {
        let size = snapshot.segmentSize
        let lineage = window.lineage
        let candidates = usable.filter { $0.physical!.stopLSN <= lsn }
        guard !candidates.isEmpty else {
            throw refusal("\(what) is before the first recoverable point \(window.first.map(\.description) ?? "-")", window,
                          hint: "nothing before the end of the earliest base backup can be recovered")
        }
        let targetSegment = lsn.segmentNumber(segmentSize: size)
        var missing: WALFileName?
        for backup in candidates.reversed() {
            let start = backup.physical!.startLSN.segmentNumber(segmentSize: size)
            if let gap = snapshot.firstMissing(on: lineage, from: start, through: targetSegment) {
                missing = gap
                continue
            }
            let end = snapshot.runEnd(on: lineage, from: start)!
            if targetSegment == end.segmentNumber {
                let tail = try await lastActivity(lineage: lineage, end: end, floor: start)
                window.last = refined(window.last, tail)
                if let last = tail.lastRecord, lsn > last {
                    throw refusal("\(what) is past the end of the archive (the last archived record is at \(last))", window,
                                  hint: "choose an earlier position, or --target latest")
                }
            }
            return make(backup, lsn, notes, window)
        }
        let lastOnPath = snapshot.lastSegment(on: lineage)!
        if let missing, missing.segmentNumber <= lastOnPath.segmentNumber {
            throw refusal("\(what) lies beyond missing WAL segment \(missing)", window,
                          hint: "recover to a point before \(missing.startLSN(segmentSize: size)), or from a base backup taken after the gap")
        }
        throw refusal("\(what) is past the end of the archive (the last archived segment is \(lastOnPath))", window,
                      hint: "choose an earlier position, or --target latest")
    }

    // MARK: - Searching the WAL

    private enum SearchResult {
        case found(LSN)
        case notFound(String)
        case tooLong(BackupManifest, String)
    }

    private func search(usable: [BackupManifest], lineage: TimelineLineage, lastOnPath: WALFileName,
                        matches: (WALRecordSummary) -> Bool) async throws -> SearchResult {
        let size = snapshot.segmentSize
        let from = usable.first!.physical!.startLSN.segmentNumber(segmentSize: size)
        let through = lastOnPath.segmentNumber
        if through - from + 1 > maxScanSegments {
            let backup = usable.first!
            return .tooLong(backup, "the target cannot be checked ahead: finding it would mean reading \(through - from + 1) WAL segments (more than \(maxScanSegments)); recovering from the earliest usable base backup \(backup.id), PostgreSQL will stop with an error if the archive does not hold it")
        }
        let found = try await records.records(on: lineage, from: from, through: through)
        if let hit = found.first(where: matches) { return .found(hit.lsn) }
        return .notFound("from \(lineage.segment(from, segmentSize: size)) to \(lastOnPath)")
    }

    /// What the end of an unbroken run of WAL holds.
    struct Activity: Sendable {
        var lastRecord: LSN?
        var lastTransactionTime: TargetTime?
    }

    /// Reads the run's last segment, and earlier ones until a commit is found (at most 32, never before `floor`).
    private func lastActivity(lineage: TimelineLineage, end: WALFileName, floor: UInt64) async throws -> Activity {
        var activity = Activity()
        var number = end.segmentNumber
        while true {
            let found = try await records.records(on: lineage, from: number, through: number)
            if activity.lastRecord == nil { activity.lastRecord = found.last?.lsn }
            if let time = found.compactMap(\.transactionTime).max() {
                activity.lastTransactionTime = time
                return activity
            }
            if number == floor || end.segmentNumber - number >= 31 { return activity }
            number -= 1
        }
    }

    private func refined(_ point: RecoveryWindow.Point?, _ activity: Activity) -> RecoveryWindow.Point? {
        guard var point else { return nil }
        if let record = activity.lastRecord, record.segmentNumber(segmentSize: snapshot.segmentSize) == point.segment.segmentNumber { point.lsn = record }
        if let time = activity.lastTransactionTime { point.time = time.date }
        return point
    }

    /// The end of `window` as the WAL says it: the last record and the last commit time of its last segments.
    public func inspectEnd(of window: RecoveryWindow) async throws -> RecoveryWindow {
        guard let last = window.last else { return window }
        var window = window
        let floor = last.segment.segmentNumber >= 31 ? last.segment.segmentNumber - 31 : 0
        window.last = refined(last, try await lastActivity(lineage: window.lineage, end: last.segment, floor: floor))
        return window
    }

    private func refusal(_ what: String, _ window: RecoveryWindow, hint: String? = nil) -> LifeboatError {
        var message = "refusing to restore: \(what). The archive allows: \(window.summary)"
        if !window.problems.isEmpty { message += "; " + window.problems.joined(separator: "; ") }
        return LifeboatError(.invalidInput, message, hint: hint)
    }
}
