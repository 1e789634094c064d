import Foundation

/// Grandfather-father-son retention: the newest `keepLast` backups, plus the newest backup of each of the
/// last `daily` days, `weekly` ISO weeks, `monthly` months and `yearly` years that have one; nothing older than
/// `maxAge`. The newest good backup of each kind and database is always kept, whatever the rules say.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    public var keepLast: Int
    public var daily: Int
    public var weekly: Int
    public var monthly: Int
    public var yearly: Int
    /// Backups older than this are deleted (unless protected); nil: no age limit.
    public var maxAge: TimeInterval?

    /// Creates a policy; counts must be ≥ 0.
    public init(keepLast: Int = 0, daily: Int = 0, weekly: Int = 0, monthly: Int = 0, yearly: Int = 0, maxAge: TimeInterval? = nil) throws {
        for (name, value) in [("keep-last", keepLast), ("keep-daily", daily), ("keep-weekly", weekly), ("keep-monthly", monthly), ("keep-yearly", yearly)] where value < 0 {
            throw LifeboatError(.invalidInput, "retention --\(name) is \(value); counts must be 0 or more")
        }
        if let maxAge, maxAge <= 0 { throw LifeboatError(.invalidInput, "retention --max-age must be positive") }
        self.keepLast = keepLast
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.yearly = yearly
        self.maxAge = maxAge
    }

    /// True when a count rule (keep-last or a bucket) is set.
    public var hasCountRules: Bool { keepLast > 0 || daily > 0 || weekly > 0 || monthly > 0 || yearly > 0 }

    /// True when no rule is set: pruning would have nothing to go by.
    public var isEmpty: Bool { keepLast == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0 && maxAge == nil }

    /// A short form for reports: `keep-last 3, daily 7, max-age 90d`.
    public var summary: String {
        var parts: [String] = []
        if keepLast > 0 { parts.append("keep-last \(keepLast)") }
        if daily > 0 { parts.append("daily \(daily)") }
        if weekly > 0 { parts.append("weekly \(weekly)") }
        if monthly > 0 { parts.append("monthly \(monthly)") }
        if yearly > 0 { parts.append("yearly \(yearly)") }
        if let maxAge { parts.append("max-age \(DurationText.format(maxAge))") }
        return parts.isEmpty ? "no rules" : parts.joined(separator: ", ")
    }
}

/// Durations written as `90d`, `26h`, `30m`, `2w`, `45s` (and combinations like `1d12h`).
public enum DurationText {
    /// Parses a duration; nil when malformed.
    public static func parse(_ text: String) -> TimeInterval? {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]
        var total: TimeInterval = 0
        var number = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        return number.isEmpty && sawUnit ? total : nil
    }

    /// Formats as the largest whole unit: `90d`, `26h`, `30m`, `45s`.
    public static func format(_ seconds: TimeInterval) -> String {
        let s = Int(seconds)
        if s % 86400 == 0 { return "\(s / 86400)d" }
        if s % 3600 == 0 { return "\(s / 3600)h" }
        if s % 60 == 0 { return "\(s / 60)m" }
        return "\(s)s"
    }
}
