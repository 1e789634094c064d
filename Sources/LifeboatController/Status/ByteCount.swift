import Foundation

/// Human-readable byte counts for status messages and Events ("1.5 GiB").
enum ByteCount {
    /// `bytes` in the largest binary unit that keeps the number at least 1.
    static func text(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}

/// Human-readable durations for status messages ("62 s", "3h 5m").
enum DurationText {
    /// `seconds` as `N s` below two minutes, otherwise in days, hours and minutes.
    static func text(_ seconds: Double) -> String {
        if seconds < 120 { return seconds < 10 ? String(format: "%.1f s", seconds) : "\(Int(seconds.rounded())) s" }
        let total = Int(seconds.rounded()) / 60
        let (days, hours, minutes) = (total / 1440, total / 60 % 24, total % 60)
        var parts: [String] = []
        if days > 0 { parts.append("\(days)d") }
        if hours > 0 { parts.append("\(hours)h") }
        if minutes > 0 || parts.isEmpty { parts.append("\(minutes)m") }
        return parts.joined(separator: " ")
    }
}
