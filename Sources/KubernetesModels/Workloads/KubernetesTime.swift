import Foundation

/// Formats and parses the two timestamp encodings of the Kubernetes API.
///
/// `metav1.Time` (creationTimestamp, conditions, Job times) is RFC 3339 in UTC with whole
/// seconds: `2026-11-21T09:40:42Z`. `metav1.MicroTime` (Lease acquire/renew times,
/// events.k8s.io `eventTime`) has exactly six fractional digits: `2026-11-21T09:53:19.275611Z`.
/// The API server rejects a MicroTime with 0, 3 or 9 digits (sample 16b), so never use a
/// general-purpose ISO 8601 formatter for it.
public enum KubernetesTime {
    /// `metav1.Time`: whole seconds (truncated), UTC, `Z`.
    public static func format(_ date: Date) -> String {
        let (seconds, _) = split(date)
        return formatSeconds(seconds)
    }

    /// `metav1.MicroTime`: exactly six fractional digits, UTC, `Z`.
    public static func formatMicro(_ date: Date) -> String {
        let (seconds, micros) = split(date)
        let base = formatSeconds(seconds)
        let fraction = String(micros)
        let padded = String(repeating: "0", count: 6 - fraction.count) + fraction
        return String(base.dropLast()) + "." + padded + "Z"
    }

    /// Parses an RFC 3339 timestamp as the API server writes or accepts it: any number of
    /// fractional digits (or none), and `Z` or a `±hh:mm` offset. Returns nil when malformed.
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + length)] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func expect(_ index: Int, _ characters: String) -> Bool {
            index < bytes.count && characters.utf8.contains(bytes[index])
        }
        guard let year = number(0, 4), expect(4, "-"), let month = number(5, 2), expect(7, "-"),
              let day = number(8, 2), expect(10, "Tt "), let hour = number(11, 2), expect(13, ":"),
              let minute = number(14, 2), expect(16, ":"), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if expect(index, ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetSeconds = 0
        if expect(index, "Zz") {
            index += 1
        } else if expect(index, "+-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let offsetHours = number(index + 1, 2), expect(index + 3, ":"), let offsetMinutes = number(index + 4, 2) else { return nil }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let epochSeconds = Double(days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds)
        return Date(timeIntervalSince1970: epochSeconds + fraction)
    }

    /// Whole seconds since the epoch (floored) and the microseconds within that second (rounded).
    private static func split(_ date: Date) -> (Int64, Int) {
        let interval = date.timeIntervalSince1970
        var seconds = Int64(interval.rounded(.down))
        var micros = Int(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros >= 1_000_000 {
            seconds += 1
            micros -= 1_000_000
        }
        return (seconds, micros)
    }

    private static func formatSeconds(_ epochSeconds: Int64) -> String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let secondOfDay = Int(epochSeconds - days * 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))Z"
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact proleptic Gregorian arithmetic
    // without Calendar, so formatting is allocation-light and independent of the locale.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
