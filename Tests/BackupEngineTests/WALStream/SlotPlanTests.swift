@testable import BackupEngine
import Testing

@Suite("wal-stream: what to do about the replication slot, and when that is a gap")
struct SlotPlanTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var slot: ReplicationSlot.State
        var lastKnown: LSN?
        var expected: SlotPlan
    }

    static let known = LSN(0x3000000)
    static let cases: [Case] = [
        Case(description: "healthy slot, archive has WAL", slot: .init(name: "s", exists: true, restartLSN: LSN(0x5000000), walStatus: "reserved"),
             lastKnown: known, expected: .use),
        Case(description: "slot kept only by max_slot_wal_keep_size", slot: .init(name: "s", exists: true, restartLSN: LSN(0x5000000), walStatus: "unreserved"),
             lastKnown: known, expected: .use),
        Case(description: "slot created but not streamed from yet (no restart_lsn, no wal_status)", slot: .init(name: "s", exists: true),
             lastKnown: known, expected: .use),
        Case(description: "first start: no slot, nothing archived", slot: .init(name: "s", exists: false), lastKnown: nil,
             expected: SlotPlan(create: true)),
        Case(description: "slot missing while the archive has WAL", slot: .init(name: "s", exists: false), lastKnown: known,
             expected: SlotPlan(create: true, gap: .slotCreated, gapFrom: known)),
        Case(description: "slot lost", slot: .init(name: "s", exists: true, restartLSN: nil, walStatus: "lost"), lastKnown: known,
             expected: SlotPlan(dropFirst: true, create: true, gap: .slotLost, gapFrom: known)),
        Case(description: "slot lost before anything was shipped", slot: .init(name: "s", exists: true, restartLSN: nil, walStatus: "lost"), lastKnown: nil,
             expected: SlotPlan(dropFirst: true, create: true, gap: .slotLost, gapFrom: nil)),
    ]

    @Test("given the slot's state and the WAL already held, when deciding, then the slot is used, created or recreated and a gap is planned exactly when continuity is in doubt",
          arguments: cases)
    func decide(_ testCase: Case) {
        #expect(SlotPlan.decide(slot: testCase.slot, lastKnownWAL: testCase.lastKnown) == testCase.expected)
    }

    @Test("given a gap, when described, then the message says GAP, names the slot and the LSN range and what to do")
    func gapMessage() {
        let text = SlotPlan.gapMessage(.slotCreated, slot: "lifeboat_app", from: LSN(0x3000000), to: LSN(0x5000028))
        #expect(text.hasPrefix("WAL GAP"))
        #expect(text.contains("\"lifeboat_app\""))
        #expect(text.contains("0/3000000 – 0/5000028"))
        #expect(text.contains("new base backup"))
    }

    @Test("given a slot's state, when the lag is computed, then it is the server position minus restart_lsn, and nil without either")
    func lag() {
        #expect(ReplicationSlot.State(name: "s", exists: true, restartLSN: LSN(0x1000), serverLSN: LSN(0x3000)).lagBytes == 0x2000)
        #expect(ReplicationSlot.State(name: "s", exists: true, restartLSN: nil, walStatus: "lost", serverLSN: LSN(0x3000)).lagBytes == nil)
        #expect(ReplicationSlot.State(name: "s", exists: false, serverLSN: LSN(0x3000)).walStatusText == "missing")
    }

    @Test("given slot names, when validated, then PostgreSQL's rule applies", arguments: [
        ("lifeboat_app", true), ("a1", true), (String(repeating: "a", count: 63), true),
        ("", false), ("Lifeboat", false), ("app-slot", false), ("a b", false), (String(repeating: "a", count: 64), false),
    ])
    func slotNames(_ name: String, valid: Bool) {
        let ok = (try? ReplicationSlot.validate(name: name)) != nil
        #expect(ok == valid, "\(name)")
    }
}
