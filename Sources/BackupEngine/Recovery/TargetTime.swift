import Foundation

/// A recovery target time with PostgreSQL's precision (microseconds), always with a zone.
///
/// Accepts RFC 3339 (`2026-11-21T10:15:00.123456Z`, `…+02:00`) and PostgreSQL's output (`2026-11-21 10:15:00.123456+00`,
/// `… UTC`). A time without a zone is refused: the server would read it in its own `timezone` setting, which the
/// person typing it rarely knows. Kept as whole microseconds so comparisons with commit times are exact.
public struct TargetTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    public var microseconds: Int64

    /// Wraps a count of microseconds since the Unix epoch.
    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The nearest microsecond to `date`.
    public init(_ date: Date) { microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    /// As a `Date` (sub-microsecond rounding aside).
    public var date: Date { Date(timeIntervalSince1970: Double(microseconds) / 1_000_000) }

    /// Parses RFC 3339 or PostgreSQL's timestamptz text.
    public init(parsing input: String) throws {
        let text = input.trimmingCharacters(in: .whitespaces)
        func refuse(_ why: String) -> LifeboatError {
            LifeboatError(.invalidInput, "\"\(input)\" is not a time lifeboat can use: \(why)",
                          hint: "write e.g. 2026-11-21T10:15:00Z, 2026-11-21T12:15:00.250+02:00 or 2026-11-21 10:15:00.123456+00")
        }
        var scanner = Substring(text)
        func number(_ digits: Int) -> Int? {
            guard scanner.count >= digits, scanner.prefix(digits).allSatisfy(\.isASCII), let n = Int(scanner.prefix(digits)) else { return nil }
            guard scanner.prefix(digits).allSatisfy(\.isNumber) else { return nil }
            scanner = scanner.dropFirst(digits)
            return n
        }
        func expect(_ c: Character) -> Bool {
            guard scanner.first == c else { return false }
            scanner = scanner.dropFirst()
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2) else {
            throw refuse("it does not start with a date YYYY-MM-DD")
        }
        guard expect("T") || expect("t") || expect(" ") else { throw refuse("a time of day must follow the date") }
        guard let hour = number(2), expect(":"), let minute = number(2) else { throw refuse("the time of day is not HH:MM[:SS]") }
        var second = 0
        var micros = 0
        if expect(":") {
            guard let s = number(2) else { throw refuse("the seconds are not two digits") }
            second = s
            if expect(".") || expect(",") {
                let digits = scanner.prefix { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, digits.count <= 6 else { throw refuse("fractions of a second have 1 to 6 digits (PostgreSQL keeps microseconds)") }
                micros = Int(digits + String(repeating: "0", count: 6 - digits.count))!
                scanner = scanner.dropFirst(digits.count)
            }
        }
        while scanner.first == " " { scanner = scanner.dropFirst() }
        var offsetSeconds = 0
        switch scanner.first {
        case "Z", "z":
            scanner = scanner.dropFirst()
        case "U" where scanner.uppercased() == "UTC", "u" where scanner.uppercased() == "UTC":
            scanner = scanner.dropFirst(3)
        case "+", "-":
            let sign = scanner.first == "-" ? -1 : 1
            scanner = scanner.dropFirst()
            guard let hours = number(2) else { throw refuse("the zone offset is not ±HH, ±HHMM or ±HH:MM") }
            var minutes = 0
            if expect(":") {
                guard let m = number(2) else { throw refuse("the zone offset is not ±HH:MM") }
                minutes = m
            } else if let m = number(2) {
                minutes = m
            }
            guard hours <= 15, minutes < 60 else { throw refuse("the zone offset is out of range") }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        case nil:
            throw refuse("it has no time zone, so the server would read it in its own `timezone` setting; add Z or an offset such as +02:00")
        default:
            throw refuse("\"\(scanner)\" is not a time zone (use Z, UTC or an offset such as +02:00)")
        }
        guard scanner.isEmpty else { throw refuse("unexpected \"\(scanner)\" after the zone") }
        guard (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60 else {
            throw refuse("the date or time is out of range")
        }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        microseconds = seconds * 1_000_000 + Int64(micros)
    }

    /// `2026-11-21 10:15:00.123456+00`: what `recovery_target_time` is given (UTC, every microsecond kept).
    public var postgresText: String {
        let (days, dayMicros) = (microseconds.floorDivided(by: 86_400_000_000), microseconds.floorModulo(86_400_000_000))
        let (y, m, d) = Self.civilFromDays(days)
        let seconds = dayMicros / 1_000_000
        let fraction = dayMicros % 1_000_000
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", y, m, d, Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60), Int(fraction))
    }

    /// Same as `postgresText`.
    public var description: String { postgresText }

    public static func < (lhs: TargetTime, rhs: TargetTime) -> Bool { lhs.microseconds < rhs.microseconds }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor < 0) ? q - 1 : q
    }

    fileprivate func floorModulo(_ divisor: Int64) -> Int64 {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}
