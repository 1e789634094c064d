@testable import BackupEngine
import Foundation
import Testing

@Suite("Retention: the plan is deterministic")
struct PlanDeterminismTests {
    static let backups: [RetentionCandidate] = [
        backup("a1", "2026-11-16T02:00:00Z", db: "a"), backup("b1", "2026-11-16T02:00:00Z", db: "b"),
        backup("a2", "2026-11-18T02:00:00Z", db: "a"), backup("m1", "2026-11-18T05:00:00Z", dbs: ["a", "b"]),
        backup("b2", "2026-11-19T02:00:00Z", db: "b", good: false), backup("a3", "2026-11-20T02:00:00Z", db: "a"),
        backup("x1", "2026-08-01T02:00:00Z", db: "a"), backup("b3", "2026-11-20T02:00:00Z", db: "b"),
    ]

    /// The decisions in the order the planner must give them: oldest start first, ties by id.
    static let expectedOrder = ["x1", "a1", "b1", "a2", "m1", "b2", "a3", "b3"]

    /// Different orders of the same input: as given, reversed, rotated, interleaved.
    static let orders: [[Int]] = {
        let n = backups.count
        let identity = Array(0..<n)
        return [identity, identity.reversed(), Array(identity[3...] + identity[..<3]), identity.filter { $0 % 2 == 1 } + identity.filter { $0 % 2 == 0 }]
    }()

    @Test("given the same backups in a different order, when planning, then the decisions and reasons are identical and ordered by start time",
          arguments: orders)
    func inputOrderDoesNotMatter(order: [Int]) throws {
        let policy = try RetentionPolicy(keepLast: 1, daily: 2, maxAge: 60 * 86400)
        let now = at("2026-11-21T12:00:00Z")
        let reference = RetentionPlanner.plan(Self.backups, policy: policy, now: now)
        let shuffled = RetentionPlanner.plan(order.map { Self.backups[$0] }, policy: policy, now: now)
        #expect(shuffled == reference, "\(describe(shuffled))")
        #expect(shuffled.map(\.id) == Self.expectedOrder)
        // Spot checks, so that two equally wrong plans do not pass.
        let byId = Dictionary(uniqueKeysWithValues: shuffled.map { ($0.id, $0) })
        #expect(byId["x1"]?.reasons == ["older than max-age 60d"])
        #expect(byId["b2"]?.keep == false)
        #expect(byId["a2"]?.reasons == ["daily 2026-11-18"])
    }

    /// Bug: the protection reasons of a backup holding several databases come out in dictionary order,
    /// which differs from run to run (Swift seeds its hashing per process).
    @Test("given a backup of eight databases that is the newest of each, when planning, then its reasons list them in the backup's order")
    func protectionReasonsFollowDatabaseOrder() throws {
        let names = (1...8).map { "db\($0)" }
        let plan = RetentionPlanner.plan(
            [backup("all", "2026-11-20T02:00:00Z", dbs: names)], policy: try RetentionPolicy(keepLast: 1), now: at("2026-11-21T12:00:00Z"))
        let decision = try #require(plan.first)
        #expect(decision.keep)
        #expect(decision.reasons == names.map { "newest good logical backup of \($0)" } + ["keep-last (1 of 1)"])
    }
}
