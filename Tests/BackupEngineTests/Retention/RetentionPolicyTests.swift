@testable import BackupEngine
import Foundation
import Testing

@Suite("Retention policy and durations")
struct RetentionPolicyTests {
    struct NegativeCount: Sendable, CustomTestStringConvertible {
        var flag: String
        var make: @Sendable () throws -> RetentionPolicy
        var testDescription: String { flag }
    }

    static let negativeCounts: [NegativeCount] = [
        NegativeCount(flag: "--keep-last") { try RetentionPolicy(keepLast: -1) },
        NegativeCount(flag: "--keep-daily") { try RetentionPolicy(daily: -1) },
        NegativeCount(flag: "--keep-weekly") { try RetentionPolicy(weekly: -1) },
        NegativeCount(flag: "--keep-monthly") { try RetentionPolicy(monthly: -1) },
        NegativeCount(flag: "--keep-yearly") { try RetentionPolicy(yearly: -1) },
    ]

    /// The message must name the option a person actually types (`lifeboat prune --keep-daily`).
    @Test("given a negative count, when creating a policy, then it is refused with a message naming the option", arguments: negativeCounts)
    func negativeCountIsRefused(row: NegativeCount) throws {
        let error = try #require(throws: LifeboatError.self) { try row.make() }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("-1"))
        #expect(error.message.contains("counts must be 0 or more"))
        #expect(error.message.contains("\(row.flag) "), "\(error.message)")
    }

    @Test("given a max-age of zero or less, when creating a policy, then it is refused", arguments: [0.0, -1.0, -86400.0])
    func nonPositiveMaxAgeIsRefused(seconds: Double) throws {
        let error = try #require(throws: LifeboatError.self) { try RetentionPolicy(keepLast: 1, maxAge: seconds) }
        #expect(error.code == .invalidInput)
        #expect(error.message == "retention --max-age must be positive")
    }

    static let emptiness: [(name: String, policy: RetentionPolicy?, empty: Bool)] = [
        ("no rule", try? RetentionPolicy(), true),
        ("zero counts", try? RetentionPolicy(keepLast: 0, daily: 0, weekly: 0, monthly: 0, yearly: 0), true),
        ("keep-last", try? RetentionPolicy(keepLast: 1), false),
        ("daily", try? RetentionPolicy(daily: 1), false),
        ("weekly", try? RetentionPolicy(weekly: 1), false),
        ("monthly", try? RetentionPolicy(monthly: 1), false),
        ("yearly", try? RetentionPolicy(yearly: 1), false),
        ("max-age", try? RetentionPolicy(maxAge: 3600), false),
    ]

    @Test("given a policy, when asking isEmpty, then it is true only without any rule", arguments: emptiness)
    func isEmpty(row: (name: String, policy: RetentionPolicy?, empty: Bool)) throws {
        let policy = try #require(row.policy, "\(row.name) could not be created")
        #expect(policy.isEmpty == row.empty)
        #expect((policy.summary == "no rules") == row.empty, "\(policy.summary)")
    }

    @Test("given every rule, when summarised, then the summary lists them in a fixed order with the age formatted")
    func summary() throws {
        let policy = try RetentionPolicy(keepLast: 3, daily: 7, weekly: 4, monthly: 12, yearly: 2, maxAge: 90 * 86400)
        #expect(policy.summary == "keep-last 3, daily 7, weekly 4, monthly 12, yearly 2, max-age 90d")
    }

    static let parsed: [(String, Double?)] = [
        ("90d", 90 * 86400), ("26h", 26 * 3600), ("1d12h", 36 * 3600), ("2w", 14 * 86400), ("45s", 45), ("30m", 1800),
        ("1w2d3h4m5s", 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5), (" 7d ", 7 * 86400), ("0012h", 12 * 3600),
        ("", nil), ("d", nil), ("90", nil), ("90x", nil), ("-5d", nil), ("1.5d", nil), ("1d 12h", nil), ("12H", nil),
        ("d12", nil), ("1d12", nil), ("seven days", nil),
    ]

    @Test("given a duration text, when parsed, then it is the right number of seconds or nil when malformed", arguments: parsed)
    func parse(text: String, seconds: Double?) {
        #expect(DurationText.parse(text) == seconds)
    }

    static let formatted: [(Double, String)] = [
        (90 * 86400, "90d"), (26 * 3600, "26h"), (36 * 3600, "36h"), (14 * 86400, "14d"), (1800, "30m"), (45, "45s"), (90, "90s"), (86400 + 60, "1441m"),
    ]

    @Test("given seconds, when formatted, then the largest whole unit is used and parsing it back gives the same seconds", arguments: formatted)
    func format(seconds: Double, text: String) {
        #expect(DurationText.format(seconds) == text)
        #expect(DurationText.parse(text) == seconds)
    }
}
