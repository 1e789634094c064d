@testable import BackupEngine
import Foundation
import Testing

@Suite("Retention: combined rules, max-age and the protected newest backup")
struct CombinedRulesAndMaxAgeTests {
    /// Nightly-ish backups of `app` over three months; now is 2026-11-21T12:00Z.
    static let history = [
        "2026-11-20", "2026-11-19", "2026-11-18", "2026-11-17", "2026-11-16",  // 2026-W47 (Mon 16 … Fri 20)
        "2026-11-13", "2026-11-09",  // 2026-W46
        "2026-10-30", "2026-10-05", "2026-09-01",
    ].map { backup($0, "\($0)T02:00:00Z") }

    static let cases: [RetentionCase] = [
        RetentionCase(
            name: "keep-last + daily + weekly + monthly: the union is kept and every rule is listed",
            backups: history, rules: Rules(keepLast: 2, daily: 3, weekly: 2, monthly: 2),
            kept: ["2026-11-20", "2026-11-19", "2026-11-18", "2026-11-13", "2026-10-30"],
            reasons: [
                "2026-11-18": ["daily 2026-11-18"], "2026-11-13": ["weekly 2026-W46"], "2026-10-30": ["monthly 2026-10"],
                "2026-11-17": ["selected by no rule (keep-last 2, daily 3, weekly 2, monthly 2)"], "2026-09-01": ["selected by no rule"],
            ],
            exactReasons: [
                "2026-11-20": ["newest good logical backup of app", "keep-last (1 of 2)", "daily 2026-11-20", "weekly 2026-W47", "monthly 2026-11"],
                "2026-11-19": ["keep-last (2 of 2)", "daily 2026-11-19"],
            ]),
        RetentionCase(
            name: "max-age removes what a bucket selected once it is older",
            backups: history, rules: Rules(monthly: 3, maxAge: "30d"),
            kept: ["2026-11-20", "2026-10-30"],
            reasons: [
                "2026-11-20": ["newest good logical backup of app", "monthly 2026-11"], "2026-10-30": ["monthly 2026-10"],
                "2026-10-05": ["older than max-age 30d"], "2026-11-13": ["selected by no rule (monthly 3, max-age 30d)"],
            ],
            // The monthly rule picked 1 Sep for 2026-09, but it is 81 days old.
            exactReasons: ["2026-09-01": ["older than max-age 30d"]]),
        RetentionCase(
            name: "max-age with keep-last: the young ones kept by keep-last stay",
            backups: history, rules: Rules(keepLast: 4, maxAge: "3d"),
            kept: ["2026-11-20", "2026-11-19"],
            reasons: ["2026-11-19": ["keep-last (2 of 4)"], "2026-11-18": ["older than max-age 3d"], "2026-11-17": ["older than max-age 3d"]]),
        RetentionCase(
            name: "every backup older than max-age: the newest good one is still kept",
            backups: [backup("jan", "2026-01-01T02:00:00Z"), backup("feb", "2026-02-01T02:00:00Z")],
            rules: Rules(keepLast: 5, maxAge: "7d"), kept: ["feb"],
            reasons: ["jan": ["older than max-age 7d"]],
            exactReasons: ["feb": ["newest good logical backup of app", "keep-last (1 of 5)"]]),
        RetentionCase(
            name: "max-age is strict: exactly 7 days old stays, one second more goes",
            backups: [
                backup("new", "2026-11-21T11:00:00Z"), backup("exactly", "2026-11-14T12:00:00Z"), backup("over", "2026-11-14T11:59:59Z"),
            ],
            rules: Rules(keepLast: 3, maxAge: "7d"), kept: ["new", "exactly"],
            reasons: ["exactly": ["keep-last (2 of 3)"], "over": ["older than max-age 7d"]]),
        RetentionCase(
            name: "keep-last 1 on one database does not delete the newest of another",
            backups: [
                backup("a1", "2026-11-18T02:00:00Z", db: "a"), backup("b1", "2026-11-18T03:00:00Z", db: "b"),
                backup("a2", "2026-11-19T02:00:00Z", db: "a"), backup("a3", "2026-11-20T02:00:00Z", db: "a"),
            ],
            rules: Rules(keepLast: 1), kept: ["a3", "b1"],
            reasons: ["b1": ["newest good logical backup of b", "keep-last (1 of 1)"], "a2": ["selected by no rule"]]),
    ]

    @Test("given a history of backups, when planning with several rules or a max-age, then the expected ones are kept with every reason",
          arguments: cases)
    func plan(row: RetentionCase) throws { try check(row) }

    /// Bug: with only `--max-age 30d` ("Delete backups older than this"), the planner deletes every backup
    /// except the newest — also the ones a day old — because max-age is only a cap on the other rules.
    @Test("given only a max-age rule, when planning, then backups younger than max-age are kept and older ones deleted")
    func maxAgeAlone() throws {
        try check(RetentionCase(
            name: "max-age alone", backups: Self.history, rules: Rules(maxAge: "30d"),
            kept: ["2026-11-20", "2026-11-19", "2026-11-18", "2026-11-17", "2026-11-16", "2026-11-13", "2026-11-09", "2026-10-30"],
            reasons: ["2026-11-20": ["newest good logical backup of app"], "2026-10-05": ["older than max-age 30d"], "2026-09-01": ["older than max-age 30d"]]))
    }

    /// Bug: a base backup covers the whole cluster, so its candidate lists no database; the protection is
    /// keyed by (kind, database) and so never applies to it.
    @Test("given base backups (whole cluster, no database list) all older than max-age, when planning, then the newest is still kept")
    func newestBaseBackupIsProtected() throws {
        let base = [
            RetentionCandidate(id: "base-old", kind: .base, databases: [], startedAt: at("2026-09-01T02:00:00Z")),
            RetentionCandidate(id: "base-new", kind: .base, databases: [], startedAt: at("2026-10-01T02:00:00Z")),
        ]
        try check(RetentionCase(
            name: "base backups", backups: base, rules: Rules(keepLast: 3, maxAge: "14d"), kept: ["base-new"],
            reasons: ["base-new": ["newest good base backup"], "base-old": ["older than max-age 14d"]]))
    }
}
