@testable import BackupEngine
import Foundation
import Testing

/// A point in time written as ISO 8601 (`2026-11-20T02:00:00Z`); test data only, so a typo stops the run.
func at(_ text: String) -> Date {
    guard let date = try? Date(text, strategy: .iso8601) else { fatalError("test data: \(text) is not an ISO 8601 time") }
    return date
}

/// A good logical backup of one database.
func backup(_ id: String, _ time: String, db: String = "app", kind: BackupManifest.Kind = .logical, good: Bool = true) -> RetentionCandidate {
    RetentionCandidate(id: id, kind: kind, databases: [db], startedAt: at(time), good: good)
}

/// A backup of several databases at once (its own series).
func backup(_ id: String, _ time: String, dbs: [String], kind: BackupManifest.Kind = .logical, good: Bool = true) -> RetentionCandidate {
    RetentionCandidate(id: id, kind: kind, databases: dbs, startedAt: at(time), good: good)
}

/// Retention counts and age for a table row; turned into a `RetentionPolicy` by the test (whose init throws).
struct Rules: Sendable, CustomStringConvertible {
    var keepLast = 0
    var daily = 0
    var weekly = 0
    var monthly = 0
    var yearly = 0
    var maxAge: String?

    func policy() throws -> RetentionPolicy {
        let age = try maxAge.map { text in try #require(DurationText.parse(text), "test data: \(text) is not a duration") }
        return try RetentionPolicy(keepLast: keepLast, daily: daily, weekly: weekly, monthly: monthly, yearly: yearly, maxAge: age)
    }

    var description: String {
        var parts: [String] = []
        if keepLast > 0 { parts.append("keepLast \(keepLast)") }
        if daily > 0 { parts.append("daily \(daily)") }
        if weekly > 0 { parts.append("weekly \(weekly)") }
        if monthly > 0 { parts.append("monthly \(monthly)") }
        if yearly > 0 { parts.append("yearly \(yearly)") }
        if let maxAge { parts.append("maxAge \(maxAge)") }
        return parts.joined(separator: ", ")
    }
}

/// One row of a retention table: the backups, the rules, what must be kept, and reasons that must appear.
struct RetentionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var backups: [RetentionCandidate]
    var rules: Rules
    var now: Date = at("2026-11-21T12:00:00Z")
    /// Ids that must be kept; every other backup must be deleted.
    var kept: Set<String>
    /// For some ids, text that one of their reasons must contain (kept or deleted alike).
    var reasons: [String: [String]]
    /// For some ids, the complete list of reasons, in order.
    var exactReasons: [String: [String]] = [:]

    var testDescription: String { "\(name) [\(rules)]" }
}

/// Plans `row` and checks every expectation it states.
func check(_ row: RetentionCase, calendar: Calendar = .utc, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let decisions = RetentionPlanner.plan(row.backups, policy: try row.rules.policy(), now: row.now, calendar: calendar)
    #expect(decisions.count == row.backups.count, "one decision per backup", sourceLocation: sourceLocation)
    #expect(Set(decisions.map(\.id)) == Set(row.backups.map(\.id)), sourceLocation: sourceLocation)
    let kept = Set(decisions.filter(\.keep).map(\.id))
    #expect(kept == row.kept, "kept \(kept.sorted()), expected \(row.kept.sorted()); \(describe(decisions))", sourceLocation: sourceLocation)
    let byId = Dictionary(decisions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for (id, fragments) in row.reasons {
        let reasons = byId[id]?.reasons ?? []
        for fragment in fragments {
            #expect(reasons.contains { $0.contains(fragment) }, "\(id): no reason contains \"\(fragment)\" in \(reasons)", sourceLocation: sourceLocation)
        }
    }
    for (id, expected) in row.exactReasons {
        #expect(byId[id]?.reasons == expected, "\(id)", sourceLocation: sourceLocation)
    }
    for decision in decisions {
        #expect(!decision.reasons.isEmpty, "\(decision.id) has no reason", sourceLocation: sourceLocation)
    }
}

/// Decisions as one line each, for failure messages.
func describe(_ decisions: [RetentionDecision]) -> String {
    decisions.map { "\($0.keep ? "keep" : "delete") \($0.id): \($0.reasons.joined(separator: "; "))" }.joined(separator: " | ")
}
