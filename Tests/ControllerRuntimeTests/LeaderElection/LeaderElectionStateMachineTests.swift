import Foundation
import KubernetesModels
import Testing
@testable import ControllerRuntime

@Suite struct LeaderElectionStateMachineTests {
    typealias Machine = LeaderElectionStateMachine
    typealias Record = LeaderElectionStateMachine.LeaseRecord

    static let t0 = ContinuousClock.now
    static let wall = Date(timeIntervalSince1970: 1_795_254_799.275611)

    static func at(_ milliseconds: Int) -> ContinuousClock.Instant { t0.advanced(by: .milliseconds(milliseconds)) }

    static func other(renew: String = "2026-11-21T09:53:19.275611Z", rv: String = "10", holder: String? = "other") -> Record {
        Record(holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: "2026-11-21T09:50:00.000000Z", renewTime: renew, leaseTransitions: 2, resourceVersion: rv)
    }

    func machine() -> Machine { Machine(identity: "me", leaseDuration: .seconds(15), renewDeadline: .seconds(10)) }

    /// A description of an action for table comparison.
    static func summary(_ action: Machine.Action) -> String {
        switch action {
        case .none: "none"
        case .create(let spec): "create holder=\(spec.holderIdentity ?? "-") transitions=\(spec.leaseTransitions ?? -1)"
        case .update(let spec, let rv): "update holder=\(spec.holderIdentity ?? "-") transitions=\(spec.leaseTransitions ?? -1) rv=\(rv)"
        case .release(let spec, let rv): "release holder=\(spec.holderIdentity ?? "-") rv=\(rv)"
        case .startLeading: "startLeading"
        case .stopLeading: "stopLeading"
        }
    }

    /// (what happens, at milliseconds after t0) → expected action; run in order against one follower machine.
    static let followerScript: [(String, Machine.Event, Int, String)] = [
        ("first sight of another holder", .leaseRead(other()), 0, "none"),
        ("same record 14.9 s later: not expired on our clock", .leaseRead(other()), 14_900, "none"),
        ("the holder renewed: the clock restarts", .leaseRead(other(renew: "2026-11-21T09:53:30.000000Z", rv: "11")), 15_000, "none"),
        ("29.9 s after t0 but only 14.9 s after the renewal", .leaseRead(other(renew: "2026-11-21T09:53:30.000000Z", rv: "11")), 29_900, "none"),
        ("15 s without a change: take over", .leaseRead(other(renew: "2026-11-21T09:53:30.000000Z", rv: "11")), 30_000, "update holder=me transitions=3 rv=11"),
    ]

    @Test func givenAnotherHolder_whenTimePassesOnTheLocalClock_thenTakeoverHappensOnlyAfterTheLeaseDurationWithoutChange() {
        var machine = machine()
        for (what, event, ms, expected) in Self.followerScript {
            let action = machine.observe(event, now: Self.at(ms), wallClock: Self.wall)
            #expect(Self.summary(action) == expected, "\(what)")
        }
        #expect(!machine.isLeader)
    }

    @Test func givenARenewTimeFarInThePast_whenFirstObserved_thenNoTakeoverBecauseWallClocksAreNeverCompared() {
        var machine = machine()
        let ancient = Self.other(renew: "2001-01-01T00:00:00.000000Z")
        #expect(Self.summary(machine.observe(.leaseRead(ancient), now: Self.at(0), wallClock: Self.wall)) == "none")
    }

    static let simpleCases: [(String, Record?, String)] = [
        ("no lease: create it", nil, "create holder=me transitions=0"),
        ("released lease (no holder): acquire at once", other(holder: nil), "update holder=me transitions=3 rv=10"),
        ("released lease (empty holder): acquire at once", other(holder: ""), "update holder=me transitions=3 rv=10"),
        ("our own record (after a restart): renew it", other(holder: "me"), "update holder=me transitions=2 rv=10"),
    ]

    @Test(arguments: simpleCases)
    func givenALeaseState_whenReadByANewCandidate_thenTheActionMatches(what: String, record: Record?, expected: String) {
        var machine = machine()
        #expect(Self.summary(machine.observe(.leaseRead(record), now: Self.at(0), wallClock: Self.wall)) == expected, "\(what)")
    }

    @Test func givenACreate_whenItSucceeds_thenStartLeadingWithMicroTimeOfSixDigits() {
        var machine = machine()
        guard case .create(let spec) = machine.observe(.leaseRead(nil), now: Self.at(0), wallClock: Self.wall) else {
            Issue.record("expected a create")
            return
        }
        #expect(spec.renewTime == "2026-11-21T09:53:19.275611Z")
        #expect(spec.acquireTime == spec.renewTime)
        #expect(spec.leaseDurationSeconds == 15)
        let written = Record(holderIdentity: "me", leaseDurationSeconds: 15, acquireTime: spec.acquireTime, renewTime: spec.renewTime, leaseTransitions: 0, resourceVersion: "1")
        #expect(machine.observe(.writeSucceeded(written), now: Self.at(10), wallClock: Self.wall) == .startLeading)
        #expect(machine.isLeader)
    }

    /// Leader script: renewals at 0 s, then failures; it must stop exactly when 10 s pass without success.
    static let leaderScript: [(String, Machine.Event, Int, String)] = [
        ("renewal succeeds", .writeSucceeded(other(rv: "20", holder: "me")), 0, "startLeading"),
        ("renew conflicts at 2 s", .writeFailed(conflict: false), 2_000, "none"),
        ("read fails at 6 s", .readFailed, 6_000, "none"),
        ("tick at 9.99 s", .tick, 9_990, "none"),
        ("tick at 10 s: the renew deadline passed", .tick, 10_000, "stopLeading"),
        ("later failures change nothing", .writeFailed(conflict: true), 11_000, "none"),
    ]

    @Test func givenALeader_whenRenewalsFailUntilTheDeadline_thenItStopsLeadingExactlyAtTheDeadline() {
        var machine = machine()
        for (what, event, ms, expected) in Self.leaderScript {
            #expect(Self.summary(machine.observe(event, now: Self.at(ms), wallClock: Self.wall)) == expected, "\(what)")
        }
        #expect(!machine.isLeader)
    }

    @Test func givenALeader_whenTheLeaseShowsAnotherHolder_thenItStopsLeadingAtOnce() {
        var machine = machine()
        _ = machine.observe(.writeSucceeded(Self.other(rv: "20", holder: "me")), now: Self.at(0), wallClock: Self.wall)
        #expect(machine.observe(.leaseRead(Self.other(rv: "21")), now: Self.at(1_000), wallClock: Self.wall) == .stopLeading)
    }

    @Test func givenALeader_whenShuttingDown_thenItReleasesTheLeaseConditionallyOnItsVersion() {
        var machine = machine()
        _ = machine.observe(.writeSucceeded(Self.other(rv: "20", holder: "me")), now: Self.at(0), wallClock: Self.wall)
        let action = machine.observe(.shutdown, now: Self.at(500), wallClock: Self.wall)
        #expect(Self.summary(action) == "release holder=- rv=20")
        #expect(!machine.isLeader)
    }

    @Test func givenAFollower_whenShuttingDown_thenNothingIsWritten() {
        var machine = machine()
        _ = machine.observe(.leaseRead(Self.other()), now: Self.at(0), wallClock: Self.wall)
        #expect(machine.observe(.shutdown, now: Self.at(500), wallClock: Self.wall) == .none)
    }
}
