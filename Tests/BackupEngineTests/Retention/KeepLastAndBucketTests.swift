@testable import BackupEngine
import Foundation
import Testing

@Suite("Retention: keep-last and calendar buckets")
struct KeepLastAndBucketTests {
    /// Five nightly backups of `app`, Nov 16 … Nov 20 at 02:00 UTC.
    static let nightly = (16...20).map { backup("n\($0)", "2026-11-\($0)T02:00:00Z") }

    static let keepLastCases: [RetentionCase] = [
        RetentionCase(
            name: "keep-last 2 of five keeps the two newest",
            backups: nightly, rules: Rules(keepLast: 2), kept: ["n20", "n19"],
            reasons: ["n19": ["keep-last (2 of 2)"], "n16": ["selected by no rule (keep-last 2)"]],
            exactReasons: ["n20": ["newest good logical backup of app", "keep-last (1 of 2)"]]),
        RetentionCase(
            name: "keep-last 1 keeps only the newest",
            backups: nightly, rules: Rules(keepLast: 1), kept: ["n20"],
            reasons: ["n19": ["selected by no rule"]],
            exactReasons: ["n20": ["newest good logical backup of app", "keep-last (1 of 1)"]]),
        RetentionCase(
            name: "keep-last larger than the number of backups keeps them all",
            backups: nightly, rules: Rules(keepLast: 10), kept: ["n16", "n17", "n18", "n19", "n20"],
            reasons: ["n16": ["keep-last (5 of 10)"], "n18": ["keep-last (3 of 10)"]]),
        RetentionCase(
            name: "the input order does not matter: newest is by start time",
            backups: Array(nightly.reversed()), rules: Rules(keepLast: 3), kept: ["n20", "n19", "n18"],
            reasons: ["n18": ["keep-last (3 of 3)"], "n17": ["selected by no rule"]]),
        RetentionCase(
            name: "two backups started the same second: the larger id counts as newer",
            backups: [backup("b-1", "2026-11-20T02:00:00Z"), backup("b-2", "2026-11-20T02:00:00Z"), backup("b-0", "2026-11-19T02:00:00Z")],
            rules: Rules(keepLast: 1), kept: ["b-2"],
            reasons: ["b-2": ["keep-last (1 of 1)"], "b-1": ["selected by no rule"]]),
    ]

    @Test("given one series, when planning with keep-last N, then the N newest are kept with their rank", arguments: keepLastCases)
    func keepLast(row: RetentionCase) throws { try check(row) }

    static let bucketCases: [RetentionCase] = [
        RetentionCase(
            name: "daily keeps the newest of each day and skips days without a backup",
            backups: [
                backup("d20-late", "2026-11-20T23:00:00Z"), backup("d20-early", "2026-11-20T02:00:00Z"),
                backup("d19", "2026-11-19T10:00:00Z"), backup("d17", "2026-11-17T05:00:00Z"), backup("d16", "2026-11-16T05:00:00Z"),
            ],
            rules: Rules(daily: 3), kept: ["d20-late", "d19", "d17"],
            reasons: ["d19": ["daily 2026-11-19"], "d17": ["daily 2026-11-17"], "d20-early": ["selected by no rule (daily 3)"], "d16": ["selected by no rule"]],
            exactReasons: ["d20-late": ["newest good logical backup of app", "daily 2026-11-20"]]),
        RetentionCase(
            name: "daily buckets are UTC days: 23:59:59 and 00:00:00 are different days",
            backups: [backup("after", "2026-11-20T00:00:00Z"), backup("before", "2026-11-19T23:59:59Z"), backup("older", "2026-11-19T00:00:00Z")],
            rules: Rules(daily: 2), kept: ["after", "before"],
            reasons: ["after": ["daily 2026-11-20"], "before": ["daily 2026-11-19"], "older": ["selected by no rule"]]),
        RetentionCase(
            name: "weekly uses ISO weeks across the 2026/2027 boundary (1 Jan 2027 is in 2026-W53)",
            backups: [
                backup("tue-0105", "2027-01-05T02:00:00Z"),  // 2027-W01
                backup("sun-0103", "2027-01-03T02:00:00Z"),  // 2026-W53 (newest of that week)
                backup("fri-0101", "2027-01-01T02:00:00Z"),  // 2026-W53
                backup("mon-1228", "2026-12-28T02:00:00Z"),  // 2026-W53
                backup("sun-1227", "2026-12-27T02:00:00Z"),  // 2026-W52 (newest of that week)
                backup("mon-1221", "2026-12-21T02:00:00Z"),  // 2026-W52
                backup("sun-1220", "2026-12-20T02:00:00Z"),  // 2026-W51
            ],
            rules: Rules(weekly: 3), now: at("2027-01-10T00:00:00Z"), kept: ["tue-0105", "sun-0103", "sun-1227"],
            reasons: [
                "tue-0105": ["weekly 2027-W01"], "sun-0103": ["weekly 2026-W53"], "sun-1227": ["weekly 2026-W52"],
                "fri-0101": ["selected by no rule"], "mon-1228": ["selected by no rule"], "sun-1220": ["selected by no rule"],
            ]),
        RetentionCase(
            name: "weekly: 30 Dec 2024 belongs to 2025-W01, 29 Dec 2024 to 2024-W52",
            backups: [backup("thu-0102", "2025-01-02T02:00:00Z"), backup("mon-1230", "2024-12-30T02:00:00Z"), backup("sun-1229", "2024-12-29T02:00:00Z")],
            rules: Rules(weekly: 2), now: at("2025-01-03T00:00:00Z"), kept: ["thu-0102", "sun-1229"],
            reasons: ["thu-0102": ["weekly 2025-W01"], "sun-1229": ["weekly 2024-W52"], "mon-1230": ["selected by no rule"]]),
        RetentionCase(
            name: "monthly keeps the newest of each month that has one (no backup in August)",
            backups: [
                backup("nov-05", "2026-11-05T02:00:00Z"), backup("nov-01", "2026-11-01T00:00:00Z"),
                backup("oct-31", "2026-10-31T23:59:59Z"), backup("sep-15", "2026-09-15T02:00:00Z"), backup("jul-01", "2026-07-01T02:00:00Z"),
            ],
            rules: Rules(monthly: 3), kept: ["nov-05", "oct-31", "sep-15"],
            reasons: ["oct-31": ["monthly 2026-10"], "sep-15": ["monthly 2026-09"], "nov-01": ["selected by no rule"], "jul-01": ["selected by no rule (monthly 3)"]]),
        RetentionCase(
            name: "yearly keeps the newest of each year that has one (no backup in 2024)",
            backups: [
                backup("y26-mar", "2026-03-01T02:00:00Z"), backup("y26-jan", "2026-01-01T00:00:00Z"),
                backup("y25-dec", "2025-12-31T23:00:00Z"), backup("y23", "2023-06-01T02:00:00Z"), backup("y22", "2022-01-01T02:00:00Z"),
            ],
            rules: Rules(yearly: 3), kept: ["y26-mar", "y25-dec", "y23"],
            reasons: ["y26-mar": ["yearly 2026"], "y25-dec": ["yearly 2025"], "y23": ["yearly 2023"], "y26-jan": ["selected by no rule"], "y22": ["selected by no rule"]]),
    ]

    @Test("given backups spread over time, when planning with a bucket rule, then the newest of each of the last N non-empty buckets is kept",
          arguments: bucketCases)
    func buckets(row: RetentionCase) throws { try check(row) }

    @Test("given a calendar in Europe/Berlin, when planning monthly buckets, then 23:30 UTC on 31 Oct counts as November there")
    func bucketsFollowTheCalendarsTimeZone() throws {
        var berlin = Calendar(identifier: .gregorian)
        berlin.timeZone = try #require(TimeZone(identifier: "Europe/Berlin"))
        let backups = [
            backup("nov-05", "2026-11-05T02:00:00Z"), backup("oct-31-late", "2026-10-31T23:30:00Z"),
            backup("sep-15", "2026-09-15T02:00:00Z"), backup("jul-01", "2026-07-01T02:00:00Z"),
        ]
        let utcRow = RetentionCase(
            name: "UTC", backups: backups, rules: Rules(monthly: 3), kept: ["nov-05", "oct-31-late", "sep-15"],
            reasons: ["oct-31-late": ["monthly 2026-10"], "jul-01": ["selected by no rule"]])
        try check(utcRow)
        let berlinRow = RetentionCase(
            name: "Berlin", backups: backups, rules: Rules(monthly: 3), kept: ["nov-05", "sep-15", "jul-01"],
            reasons: ["nov-05": ["monthly 2026-11"], "jul-01": ["monthly 2026-07"], "oct-31-late": ["selected by no rule"]])
        try check(berlinRow, calendar: berlin)
    }
}
