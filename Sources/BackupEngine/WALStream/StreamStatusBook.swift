import Foundation
import Logging

/// The streamer's running account of what it shipped, the slot's health and the gaps it noticed: logged every
/// interval and published as the repository's `StreamStatus` object.
public actor StreamStatusBook {
    /// The status as it stands.
    public private(set) var status: StreamStatus
    private let identity: ClusterIdentity
    private let repository: Repository
    private let logger: Logger

    /// Starts from `status` (the previous run's, so its gaps and position carry over).
    public init(status: StreamStatus, identity: ClusterIdentity, repository: Repository, logger: Logger) {
        self.status = status
        self.identity = identity
        self.repository = repository
        self.logger = logger
    }

    /// Takes in what a shipping pass stored (and the position the archive holds, even when nothing new was stored).
    public func shipped(_ pass: SpoolShipper.Pass, at time: Date = Date()) {
        if !pass.shipped.isEmpty { status.lastShippedAt = time }
        guard let end = pass.lastShippedLSN, let name = pass.lastShippedWAL else { return }
        // Positions only grow, across timelines too (a new timeline starts at its parent's switchpoint).
        if let known = status.lastShippedLSN, end < known || (end == known && name.timeline < (status.timeline ?? 0)) { return }
        status.lastShippedLSN = end
        status.lastShippedWAL = name.description
        status.timeline = name.timeline
    }

    /// Takes in what the server said about the slot.
    public func observe(_ slot: ReplicationSlot.State) {
        status.slotRestartLSN = slot.restartLSN
        status.serverLSN = slot.serverLSN
        status.slotLagBytes = slot.lagBytes
        status.walStatus = slot.walStatusText
    }

    /// Records a gap and says so at error level; it stays in the status object.
    public func recordGap(_ reason: StreamGap.Reason, from: LSN?, to: LSN?, at time: Date = Date()) {
        let message = SlotPlan.gapMessage(reason, slot: status.slot, from: from, to: to)
        status.record(StreamGap(reason: reason, detectedAt: time, from: from, to: to, message: message))
        logger.error("\(message)", metadata: ["wal.slot": "\(status.slot)", "wal.gap.from": "\(from?.description ?? "unknown")", "wal.gap.to": "\(to?.description ?? "unknown")"])
    }

    /// The end of the WAL this streamer knows to be shipped.
    public var lastShippedLSN: LSN? { status.lastShippedLSN }

    /// Logs the status line and writes the status object (a failed write is logged, not thrown: the next interval
    /// tries again).
    public func publish(running: Bool, at time: Date = Date()) async {
        status.running = running
        status.updatedAt = time
        let shipped = status.lastShippedLSN.map { "shipped up to \($0) (\(status.lastShippedWAL ?? "?")) at \(status.lastShippedAt.map(Timestamps.format) ?? "?")" } ?? "nothing shipped yet"
        let lag = status.slotLagBytes.map { "\($0) bytes" } ?? "unknown"
        let line = "wal-stream slot \(status.slot): \(shipped); slot lag \(lag); wal_status \(status.walStatus ?? "unknown")\(status.gaps.isEmpty ? "" : "; \(status.gaps.count) gap(s) recorded")"
        let metadata: Logger.Metadata = [
            "wal.slot": "\(status.slot)", "wal.lsn": "\(status.lastShippedLSN?.description ?? "-")",
            "wal.slot.lag_bytes": "\(status.slotLagBytes.map(String.init) ?? "-")", "wal.slot.status": "\(status.walStatus ?? "-")",
        ]
        if status.walStatus == "lost" || status.walStatus == "missing" {
            logger.error("\(line)", metadata: metadata)
        } else {
            logger.notice("\(line)", metadata: metadata)
        }
        do {
            try await status.save(identity: identity, to: repository)
        } catch {
            logger.warning("could not write the stream status to \(repository.storage.location): \(error)")
        }
    }
}
