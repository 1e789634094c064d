import Foundation

/// IANA time zone names as the CronJob controller accepts them (Go's `time.LoadLocation` minus `Local`).
public enum TimeZoneNames {
    /// Whether `name` is an IANA zone such as `Europe/Berlin` or `UTC`.
    ///
    /// Foundation also accepts ICU custom ids such as `GMT+1`, which Kubernetes rejects; it answers those with a
    /// rewritten identifier (`GMT+0100`), while a tz database name comes back unchanged. (The ICU list
    /// `knownTimeZoneIdentifiers` is no help: it lacks current names such as `Asia/Kolkata`.)
    public static func isValid(_ name: String) -> Bool {
        if name.isEmpty || name.caseInsensitiveCompare("Local") == .orderedSame { return false }
        if utcAliases.contains(name) { return true }
        guard let zone = TimeZone(identifier: name) else { return false }
        return zone.identifier == name
    }

    static let utcAliases: Set<String> = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Zulu", "Universal"]
}
