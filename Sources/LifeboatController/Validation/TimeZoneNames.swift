import Foundation

/// IANA time zone names as the CronJob controller accepts them (Go's `time.LoadLocation` minus `Local`).
public enum TimeZoneNames {
    /// Whether `name` is an IANA zone such as `Europe/Berlin` or `UTC`.
    ///
    /// Foundation also accepts ICU custom ids such as `GMT+1`, which Kubernetes rejects, so the name must also be in
    /// the tz database list (or be one of the UTC aliases the database carries as links).
    public static func isValid(_ name: String) -> Bool {
        if name.isEmpty || name.caseInsensitiveCompare("Local") == .orderedSame { return false }
        if utcAliases.contains(name) { return true }
        guard TimeZone(identifier: name) != nil else { return false }
        return TimeZone.knownTimeZoneIdentifiers.contains(name)
    }

    static let utcAliases: Set<String> = ["UTC", "Etc/UTC", "GMT", "Etc/GMT", "UCT", "Zulu", "Universal"]
}
