@testable import BackupEngine
import Foundation
import Testing

@Suite("Retention: separate series and backups that failed verification")
struct SeriesAndVerificationTests {
    static let seriesCases: [RetentionCase] = [
        RetentionCase(
            name: "two databases backed up alternately: each keeps its own two newest",
            backups: [
                backup("a16", "2026-11-16T02:00:00Z", db: "a"), backup("b17", "2026-11-17T02:00:00Z", db: "b"),
                backup("a18", "2026-11-18T02:00:00Z", db: "a"), backup("b19", "2026-11-19T02:00:00Z", db: "b"),
                backup("a20", "2026-11-20T02:00:00Z", db: "a"), backup("b21", "2026-11-21T02:00:00Z", db: "b"),
            ],
            rules: Rules(keepLast: 2), kept: ["a18", "a20", "b19", "b21"],
            reasons: ["a18": ["keep-last (2 of 2)"], "b19": ["keep-last (2 of 2)"], "a16": ["selected by no rule"], "b17": ["selected by no rule"]],
            exactReasons: ["a20": ["newest good logical backup of a", "keep-last (1 of 2)"], "b21": ["newest good logical backup of b", "keep-last (1 of 2)"]]),
        RetentionCase(
            name: "a multi-database backup forms its own series and takes no slot of a single-database series",
            backups: [
                backup("m17", "2026-11-17T02:00:00Z", dbs: ["app", "crm"]), backup("s18", "2026-11-18T02:00:00Z", db: "app"),
                backup("s19", "2026-11-19T02:00:00Z", db: "app"), backup("m20", "2026-11-20T02:00:00Z", dbs: ["app", "crm"]),
            ],
            rules: Rules(keepLast: 1), kept: ["s19", "m20"],
            reasons: ["m20": ["newest good logical backup of app", "newest good logical backup of crm", "keep-last (1 of 1)"], "m17": ["selected by no rule"], "s18": ["selected by no rule"]],
            // m20 is the newest backup holding app, so s19 is kept by its own series' rule, not by the protection.
            exactReasons: ["s19": ["keep-last (1 of 1)"]]),
        RetentionCase(
            name: "the order of the databases in a multi-database backup does not split its series",
            backups: [
                backup("m18", "2026-11-18T02:00:00Z", dbs: ["crm", "app"]), backup("m19", "2026-11-19T02:00:00Z", dbs: ["app", "crm"]),
                backup("m20", "2026-11-20T02:00:00Z", dbs: ["crm", "app"]),
            ],
            rules: Rules(keepLast: 2), kept: ["m20", "m19"],
            reasons: ["m19": ["keep-last (2 of 2)"], "m18": ["selected by no rule"]]),
        RetentionCase(
            name: "daily buckets are per series: two databases backed up the same day both keep it",
            backups: [
                backup("a20", "2026-11-20T02:00:00Z", db: "a"), backup("b20", "2026-11-20T03:00:00Z", db: "b"),
                backup("a19", "2026-11-19T02:00:00Z", db: "a"), backup("b19", "2026-11-19T03:00:00Z", db: "b"),
                backup("a18", "2026-11-18T02:00:00Z", db: "a"),
            ],
            rules: Rules(daily: 2), kept: ["a20", "b20", "a19", "b19"],
            reasons: ["a19": ["daily 2026-11-19"], "b19": ["daily 2026-11-19"], "a18": ["selected by no rule (daily 2)"]]),
    ]

    @Test("given backups of several databases, when planning, then every (kind, databases) series is retained on its own", arguments: seriesCases)
    func series(row: RetentionCase) throws { try check(row) }

    static let verificationCases: [RetentionCase] = [
        RetentionCase(
            name: "the newest backup failed verification: it is deleted and the newest good one is protected",
            backups: [
                backup("bad20", "2026-11-20T02:00:00Z", good: false), backup("ok19", "2026-11-19T02:00:00Z"), backup("ok18", "2026-11-18T02:00:00Z"),
            ],
            rules: Rules(keepLast: 1), kept: ["ok19"],
            reasons: ["bad20": ["failed verification and selected by no rule"], "ok18": ["selected by no rule (keep-last 1)"]],
            exactReasons: ["ok19": ["newest good logical backup of app", "keep-last (1 of 1)"]]),
        RetentionCase(
            name: "a bad backup holds no daily slot: the older good backup of the same day takes it",
            backups: [
                backup("bad-late", "2026-11-20T23:00:00Z", good: false), backup("ok-early", "2026-11-20T02:00:00Z"),
                backup("ok19", "2026-11-19T02:00:00Z"), backup("ok18", "2026-11-18T02:00:00Z"),
            ],
            rules: Rules(daily: 2), kept: ["ok-early", "ok19"],
            reasons: ["ok-early": ["daily 2026-11-20"], "ok19": ["daily 2026-11-19"], "bad-late": ["failed verification"], "ok18": ["selected by no rule"]]),
        RetentionCase(
            name: "bad backups take no keep-last rank: keep-last 2 keeps the two newest good ones",
            backups: [
                backup("ok20", "2026-11-20T02:00:00Z"), backup("bad19", "2026-11-19T02:00:00Z", good: false),
                backup("ok18", "2026-11-18T02:00:00Z"), backup("ok17", "2026-11-17T02:00:00Z"),
            ],
            rules: Rules(keepLast: 2), kept: ["ok20", "ok18"],
            reasons: ["ok18": ["keep-last (2 of 2)"], "bad19": ["failed verification and selected by no rule"], "ok17": ["selected by no rule"]]),
        RetentionCase(
            name: "the only backup of a database failed verification: it is never the newest good one, so it goes",
            backups: [backup("bad", "2026-11-20T02:00:00Z", db: "crm", good: false), backup("ok", "2026-11-20T02:00:00Z", db: "app")],
            rules: Rules(keepLast: 5), kept: ["ok"],
            reasons: ["bad": ["failed verification and selected by no rule"], "ok": ["newest good logical backup of app", "keep-last (1 of 5)"]]),
        RetentionCase(
            name: "a bad backup older than max-age is deleted for its age",
            backups: [backup("bad", "2026-09-01T02:00:00Z", good: false), backup("ok", "2026-11-20T02:00:00Z")],
            rules: Rules(keepLast: 5, maxAge: "30d"), kept: ["ok"],
            reasons: ["ok": ["keep-last (1 of 5)"]],
            exactReasons: ["bad": ["older than max-age 30d"]]),
    ]

    @Test("given backups that failed verification, when planning, then they hold no slot and are deleted", arguments: verificationCases)
    func verification(row: RetentionCase) throws { try check(row) }

    @Test("given a logical and a base backup of the same database, when planning keep-last 1, then each kind keeps its newest")
    func kindsAreSeparate() throws {
        try check(RetentionCase(
            name: "kinds", backups: [
                backup("l1", "2026-11-18T02:00:00Z"), backup("l2", "2026-11-19T02:00:00Z"),
                backup("b1", "2026-11-17T02:00:00Z", kind: .base), backup("b2", "2026-11-20T02:00:00Z", kind: .base),
            ],
            rules: Rules(keepLast: 1), kept: ["l2", "b2"],
            reasons: ["l2": ["newest good logical backup of app"], "b2": ["newest good base backup of app"], "l1": ["selected by no rule"], "b1": ["selected by no rule"]]))
    }

    /// Bug: the series key joins database names with ",", and PostgreSQL allows "," in a database name, so a
    /// backup of the database `a,b` and a backup of the two databases `a` and `b` share one series.
    @Test("given a database named \"a,b\" and a backup of databases a and b, when planning keep-last 2, then they are two series")
    func databaseNamesWithCommasDoNotMergeSeries() throws {
        try check(RetentionCase(
            name: "comma", backups: [
                backup("s17", "2026-11-17T02:00:00Z", db: "a,b"), backup("m18", "2026-11-18T02:00:00Z", dbs: ["a", "b"]),
                backup("s19", "2026-11-19T02:00:00Z", db: "a,b"), backup("m20", "2026-11-20T02:00:00Z", dbs: ["a", "b"]),
            ],
            rules: Rules(keepLast: 2), kept: ["s17", "m18", "s19", "m20"],
            reasons: ["s17": ["keep-last (2 of 2)"], "m18": ["keep-last (2 of 2)"]]))
    }
}
