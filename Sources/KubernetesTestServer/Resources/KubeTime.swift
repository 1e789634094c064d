import Foundation

/// `metav1.Time` (whole seconds, UTC) and `metav1.MicroTime` (exactly six fractional digits) as the API server parses
/// and prints them (sample 16b).
enum KubeTime {
    /// A normalized MicroTime, or Go's parse error text.
    enum MicroTimeResult: Equatable {
        case success(String)
        case failure(String)
    }

    /// `2026-11-21T09:40:42Z` for now or the given date.
    static func seconds(_ date: Date = Date()) -> String {
        let c = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    static let utcCalendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    /// Parses RFC 3339 (any fraction, `Z` or an offset) into a date and the fractional microseconds.
    static func parseRFC3339(_ s: String) -> (date: Date, micros: Int)? {
        let chars = Array(s.utf8)
        guard chars.count >= 20 else { return nil }
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= chars.count else { return nil }
            var v = 0
            for i in from..<(from + len) {
                guard chars[i] >= 48, chars[i] <= 57 else { return nil }
                v = v * 10 + Int(chars[i] - 48)
            }
            return v
        }
        guard let y = num(0, 4), chars[4] == 45, let mo = num(5, 2), chars[7] == 45, let d = num(8, 2),
              chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"),
              let h = num(11, 2), chars[13] == 58, let mi = num(14, 2), chars[16] == 58, let sec = num(17, 2) else { return nil }
        var i = 19
        var micros = 0
        if i < chars.count, chars[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < chars.count, chars[i] >= 48, chars[i] <= 57 {
                if digits < 6 { micros = micros * 10 + Int(chars[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        guard i < chars.count else { return nil }
        var offset = 0
        if chars[i] == UInt8(ascii: "Z") || chars[i] == UInt8(ascii: "z") {
            guard i + 1 == chars.count else { return nil }
        } else if chars[i] == UInt8(ascii: "+") || chars[i] == UInt8(ascii: "-") {
            guard i + 6 == chars.count, let oh = num(i + 1, 2), chars[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (chars[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        var comps = DateComponents()
        comps.year = y; comps.month = mo; comps.day = d; comps.hour = h; comps.minute = mi; comps.second = sec
        guard let local = utcCalendar.date(from: comps) else { return nil }
        return (local.addingTimeInterval(TimeInterval(-offset)), micros)
    }

    /// Normalizes a `metav1.Time` input: fraction truncated, offset converted, `Z`.
    static func normalizeTime(_ s: String) -> String? {
        guard let (date, _) = parseRFC3339(s) else { return nil }
        return seconds(date)
    }

    /// Validates a MicroTime with Go's layout `2006-01-02T15:04:05.000000Z07:00`; returns the normalized text or the
    /// Go parse error text.
    static func normalizeMicroTime(_ s: String) -> MicroTimeResult {
        let layout = "2006-01-02T15:04:05.000000Z07:00"
        let prefix = "parsing time \"\(s)\" as \"\(layout)\": "
        let chars = Array(s)
        guard chars.count >= 19, parseRFC3339(String(chars[0..<19]) + "Z") != nil else {
            return .failure(prefix + "cannot parse \"\(s)\" as \"2006\"")
        }
        let rest = String(chars[19...])
        let fracDigits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard rest.hasPrefix("."), fracDigits.count >= 6 else {
            return .failure(prefix + "cannot parse \"\(rest)\" as \".000000\"")
        }
        let zone = String(chars[26...])
        guard zone == "Z" || (zone.count == 6 && (zone.hasPrefix("+") || zone.hasPrefix("-"))),
              let (date, micros) = parseRFC3339(s) else {
            return .failure(prefix + "cannot parse \"\(zone)\" as \"Z07:00\"")
        }
        let base = seconds(date)
        return .success(String(base.dropLast()) + String(format: ".%06dZ", micros))
    }
}
