import Foundation

/// What retention needs to know of a backup.
public struct RetentionCandidate: Sendable, Hashable {
    public var id: String
    public var kind: BackupManifest.Kind
    public var databases: [String]
    public var startedAt: Date
    /// False when a verification found it damaged: it holds no retention slot.
    public var good: Bool

    /// Creates a candidate.
    public init(id: String, kind: BackupManifest.Kind, databases: [String], startedAt: Date, good: Bool = true) {
        self.id = id
        self.kind = kind
        self.databases = databases
        self.startedAt = startedAt
        self.good = good
    }
}

/// The fate of one backup, with every reason.
public struct RetentionDecision: Sendable, Hashable {
    public var id: String
    public var keep: Bool
    public var reasons: [String]
}

/// Computes retention decisions from manifests alone. Pure: the same input gives the same plan.
public enum RetentionPlanner {
    /// Decides, for every candidate, whether it is kept and why. Buckets use `calendar` (UTC by default).
    public static func plan(_ candidates: [RetentionCandidate], policy: RetentionPolicy, now: Date, calendar: Calendar = .utc) -> [RetentionDecision] {
        var reasons: [String: [String]] = [:]
        var expired = Set<String>()
        // Each series (kind + set of databases) is retained on its own, newest first.
        let series = Dictionary(grouping: candidates) { SeriesKey(kind: $0.kind, databases: $0.databases.sorted()) }
        for (_, members) in series {
            let newestFirst = members.sorted { ($0.startedAt, $0.id) > ($1.startedAt, $1.id) }
            let good = newestFirst.filter(\.good)
            for (index, backup) in good.prefix(policy.keepLast).enumerated() {
                reasons[backup.id, default: []].append("keep-last (\(index + 1) of \(policy.keepLast))")
            }
            let buckets: [(String, Int, (Date) -> String)] = [
                ("daily", policy.daily, { day($0, calendar) }),
                ("weekly", policy.weekly, { week($0, calendar) }),
                ("monthly", policy.monthly, { month($0, calendar) }),
                ("yearly", policy.yearly, { year($0, calendar) }),
            ]
            for (name, count, key) in buckets where count > 0 {
                var seen: [String] = []
                for backup in good {
                    let bucket = key(backup.startedAt)
                    guard !seen.contains(bucket) else { continue }
                    guard seen.count < count else { break }
                    seen.append(bucket)
                    reasons[backup.id, default: []].append("\(name) \(bucket)")
                }
            }
        }
        if let maxAge = policy.maxAge {
            for backup in candidates where now.timeIntervalSince(backup.startedAt) > maxAge {
                expired.insert(backup.id)
            }
            // Max-age alone means "keep what is younger"; with count rules it only caps them.
            if !policy.hasCountRules {
                for backup in candidates where backup.good && !expired.contains(backup.id) {
                    reasons[backup.id, default: []].append("within max-age \(DurationText.format(maxAge))")
                }
            }
        }
        // The newest good backup of each kind and database (of the whole cluster, for base backups) is never deleted.
        var newestByKey: [String: RetentionCandidate] = [:]
        for backup in candidates where backup.good {
            for key in protectionKeys(backup) {
                if let current = newestByKey[key], (current.startedAt, current.id) >= (backup.startedAt, backup.id) { continue }
                newestByKey[key] = backup
            }
        }
        var protected: [String: [String]] = [:]
        for backup in candidates {
            // Reasons follow the backup's own database order, so the output is the same on every run.
            let keys = protectionKeys(backup).filter { newestByKey[$0]?.id == backup.id }
            if !keys.isEmpty { protected[backup.id] = keys.map { "newest good \($0)" } }
        }
        return candidates.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }.map { backup in
            if let why = protected[backup.id] {
                return RetentionDecision(id: backup.id, keep: true, reasons: why + (reasons[backup.id] ?? []))
            }
            if expired.contains(backup.id) {
                return RetentionDecision(id: backup.id, keep: false, reasons: ["older than max-age \(DurationText.format(policy.maxAge ?? 0))"])
            }
            if let why = reasons[backup.id] {
                return RetentionDecision(id: backup.id, keep: true, reasons: why)
            }
            if !backup.good {
                return RetentionDecision(id: backup.id, keep: false, reasons: ["failed verification and selected by no rule"])
            }
            return RetentionDecision(id: backup.id, keep: false, reasons: ["selected by no rule (\(policy.summary))"])
        }
    }

    /// What "the newest good backup of each kind and database" is counted per.
    private static func protectionKeys(_ backup: RetentionCandidate) -> [String] {
        backup.databases.isEmpty ? ["\(backup.kind.rawValue) backup"] : backup.databases.map { "\(backup.kind.rawValue) backup of \($0)" }
    }

    /// A series: one kind of backup of one set of databases.
    private struct SeriesKey: Hashable {
        var kind: BackupManifest.Kind
        var databases: [String]
    }

    private static func day(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }

    private static func week(_ date: Date, _ calendar: Calendar) -> String {
        var iso = Calendar(identifier: .iso8601)
        iso.timeZone = calendar.timeZone
        let c = iso.dateComponents([.yearForWeekOfYear, .weekOfYear], from: date)
        return String(format: "%04d-W%02d", c.yearForWeekOfYear!, c.weekOfYear!)
    }

    private static func month(_ date: Date, _ calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", c.year!, c.month!)
    }

    private static func year(_ date: Date, _ calendar: Calendar) -> String {
        String(calendar.component(.year, from: date))
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC.
    public static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }
}
