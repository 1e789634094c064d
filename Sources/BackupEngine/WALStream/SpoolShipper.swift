import Foundation
import Logging

/// Moves WAL from the spool into the archive: complete segments (create-only, then removed from the spool once
/// durable), timeline history files, and the current partial segment as the replaceable `<segment>.partial`.
/// An actor, so the periodic pass, the final pass at shutdown and the receiver's recovery never interleave.
public actor SpoolShipper {
    /// What one pass shipped.
    public struct Pass: Sendable, Hashable {
        /// Files stored or found already archived, in order.
        public var shipped: [String] = []
        /// The furthest WAL now in the archive from this spool (segment end, or a partial's content end).
        public var lastShippedLSN: LSN?
        /// The file that reached it.
        public var lastShippedWAL: WALFileName?
        /// Whether the partial segment was (re)written.
        public var partialShipped = false
    }

    private let spool: WALSpool
    private let archive: WALArchive
    private let options: DataPathOptions
    private let logger: Logger
    private var shippedHistories: Set<WALFileName> = []
    private var lastPartial: (name: WALFileName, digest: String)?

    /// A shipper from `spool` into `archive`.
    public init(spool: WALSpool, archive: WALArchive, options: DataPathOptions, logger: Logger) {
        self.spool = spool
        self.archive = archive
        self.options = options
        self.logger = logger
    }

    /// Ships what the spool holds. `includePartial` also stores the current partial segment when it changed.
    /// `flushedAtLeast` is a position `pg_receivewal` reported flushed before the spool was read (the slot's
    /// `restart_lsn`): a partial segment holds at least that much, which is more exact than its last non-zero byte.
    /// Throws on the first failure: files not shipped stay in the spool for the next pass.
    public func ship(includePartial: Bool, flushedAtLeast: LSN? = nil) async throws -> Pass {
        var pass = Pass()
        let listing = try spool.list()
        for history in listing.histories where !shippedHistories.contains(history) {
            guard let bytes = try spool.read(history) else { continue }
            _ = try await archive.push(history, plain: bytes, options: options)
            shippedHistories.insert(history)
            pass.shipped.append(history.description)
        }
        for segment in listing.segments {
            guard let bytes = try spool.read(segment) else { continue }
            try checkSegment(bytes, name: segment, complete: true)
            let outcome = try await archive.push(segment, plain: bytes, options: options)
            // Durable in the repository: only now may the spool forget it, and the stale partial copy go.
            try spool.remove(segment)
            try await archive.deletePartial(segment)
            if lastPartial?.name == segment.asPartial { lastPartial = nil }
            pass.shipped.append(segment.description)
            note(&pass, end: LSN((segment.segmentNumber + 1) * archive.identity.walSegmentSize), name: segment)
            logger.debug("shipped \(segment)", metadata: ["wal.outcome": "\(outcome)"])
        }
        for partial in listing.finishedPartials {
            // A timeline's last segment (or a leftover beside its complete copy): stored once more, then dropped.
            guard let bytes = try spool.read(partial) else { continue }
            try await storePartial(bytes, name: partial, flushedAtLeast: nil, pass: &pass)
            try spool.remove(partial)
        }
        if includePartial, let partial = listing.currentPartial, let bytes = try spool.read(partial) {
            try await storePartial(bytes, name: partial, flushedAtLeast: flushedAtLeast, pass: &pass)
        }
        return pass
    }

    /// Ships everything (the current partial included), then removes every partial segment from the spool so
    /// `pg_receivewal` restarts from the slot's position. Used when the server no longer has the WAL after the
    /// spool's end.
    public func shipAndClearPartials(flushedAtLeast: LSN? = nil) async throws -> Pass {
        let pass = try await ship(includePartial: true, flushedAtLeast: flushedAtLeast)
        let listing = try spool.list()
        for partial in listing.finishedPartials + (listing.currentPartial.map { [$0] } ?? []) {
            try spool.remove(partial)
        }
        lastPartial = nil
        return pass
    }

    /// Stores a partial segment unless this very content was stored last time (nothing written yet: skipped); notes
    /// the position it holds either way.
    private func storePartial(_ bytes: [UInt8], name: WALFileName, flushedAtLeast: LSN?, pass: inout Pass) async throws {
        let size = archive.identity.walSegmentSize
        guard var end = WALSpool.contentEnd(ofPartial: bytes, segment: name, segmentSize: size) else { return }
        let segmentEnd = LSN(name.startLSN(segmentSize: size).value + size)
        if let flushed = flushedAtLeast, flushed > end, flushed <= segmentEnd { end = flushed }
        try checkSegment(bytes, name: name, complete: false)
        let digest = WALObject.sha256(bytes)
        if let lastPartial, lastPartial.name == name, lastPartial.digest == digest {
            note(&pass, end: end, name: name)
            return
        }
        try await archive.pushPartial(name.asSegment, plain: bytes, options: options)
        lastPartial = (name, digest)
        pass.partialShipped = true
        pass.shipped.append(name.description)
        note(&pass, end: end, name: name)
    }

    /// The header checks `wal-push` makes (cluster, segment size, page address, length), naming the spool file.
    private func checkSegment(_ bytes: [UInt8], name: WALFileName, complete: Bool) throws {
        do {
            try WALSegmentCheck.check(bytes, name: complete ? name.asSegment : name.asPartial, identity: archive.identity)
        } catch let error as LifeboatError {
            let hint = error.code == .conflict
                ? "give this streamer an empty spool volume: \(spool.directory) holds another cluster's WAL"
                : "move \(spool.path(name)) away and let pg_receivewal stream the segment again"
            throw LifeboatError(error.code, "spool file \(spool.path(name)): \(error.message)", hint: hint)
        }
    }

    private func note(_ pass: inout Pass, end: LSN, name: WALFileName) {
        if pass.lastShippedLSN.map({ end > $0 }) ?? true {
            pass.lastShippedLSN = end
            pass.lastShippedWAL = name
        }
    }
}
