/// What to do about the replication slot before `pg_receivewal` (re)starts, decided from what the server says and
/// what WAL the archive and spool already hold. Pure, so every case is tested without a server.
public struct SlotPlan: Sendable, Hashable {
    /// Drop the existing slot first (it was invalidated and can no longer stream).
    public var dropFirst: Bool
    /// Create the slot.
    public var create: Bool
    /// A gap to record once the slot exists again; nil when continuity is not in doubt.
    public var gap: StreamGap.Reason?
    /// Where the possibly missing WAL starts (the end of what the archive or spool holds).
    public var gapFrom: LSN?

    /// Creates a plan.
    public init(dropFirst: Bool = false, create: Bool = false, gap: StreamGap.Reason? = nil, gapFrom: LSN? = nil) {
        self.dropFirst = dropFirst
        self.create = create
        self.gap = gap
        self.gapFrom = gapFrom
    }

    /// Nothing to do: the slot exists and still reserves WAL.
    public static let use = SlotPlan()

    /// Decides. `lastKnownWAL` is the end of the WAL the archive, the spool or the last status already hold (nil: none
    /// at all, i.e. the very first start, which is no gap).
    public static func decide(slot: ReplicationSlot.State, lastKnownWAL: LSN?) -> SlotPlan {
        if slot.exists {
            guard slot.isLost else { return .use }
            // An invalidated slot cannot stream again; the WAL it lost is gone whatever we do.
            return SlotPlan(dropFirst: true, create: true, gap: .slotLost, gapFrom: lastKnownWAL)
        }
        guard let lastKnownWAL else { return SlotPlan(create: true) }
        return SlotPlan(create: true, gap: .slotCreated, gapFrom: lastKnownWAL)
    }

    /// The sentence logged (at error level) and kept with the gap.
    public static func gapMessage(_ reason: StreamGap.Reason, slot: String, from: LSN?, to: LSN?) -> String {
        let range = "\(from?.description ?? "unknown") – \(to?.description ?? "unknown")"
        let what: String
        switch reason {
        case .slotCreated:
            what = "replication slot \"\(slot)\" was missing (dropped, or lost in a failover) and was created anew while the archive already held WAL"
        case .slotLost:
            what = "replication slot \"\(slot)\" was invalidated by the server (wal_status lost, max_slot_wal_keep_size exceeded) and was recreated"
        case .walRemoved:
            what = "the server no longer has the WAL after the spool's end for slot \"\(slot)\"; streaming restarts from the slot's position"
        }
        return "WAL GAP: \(what); WAL in \(range) may be missing from the archive, so point-in-time recovery cannot cross it: take a new base backup"
    }
}
