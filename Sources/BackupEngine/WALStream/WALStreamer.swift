import Foundation
import Logging

/// `lifeboat wal-stream`: WAL out of a server whose image and settings cannot be changed.
///
/// `pg_receivewal` streams through a physical replication slot into a spool folder that survives restarts (the slot
/// advances when WAL reaches the spool, so the spool — not the repository — is what the server stops keeping WAL
/// for). Every `partialInterval` the streamer ships complete segments (create-only, removed from the spool once
/// durable), timeline history files and the current partial segment (replaceable `<segment>.partial`): that interval
/// is the RPO when the server dies. It logs and publishes a `StreamStatus`, records a gap whenever the slot had to
/// be created anew or was lost, restarts `pg_receivewal` with backoff when it dies, and on shutdown stops it and
/// ships everything, partial included.
public struct WALStreamer: Sendable {
    /// What to stream and where.
    public struct Configuration: Sendable {
        /// The physical replication slot.
        public var slot: String
        /// The spool folder (a volume that survives restarts).
        public var spoolDirectory: String
        /// Seconds between shipping passes (and partial-segment uploads): the RPO if the server dies.
        public var partialInterval: Double
        /// Where the server is (the rest comes from the libpq environment).
        public var connection: ConnectionSettings
        /// Compression and encryption of the stored WAL.
        public var dataPath: DataPathOptions
        /// PostgreSQL's programs (`pg_receivewal`).
        public var binaries: PostgresBinaries
        /// When `pg_receivewal` is restarted.
        public var restartPolicy: ReceiverRestartPolicy

        /// Creates a configuration.
        public init(slot: String, spoolDirectory: String, partialInterval: Double = 5, connection: ConnectionSettings, dataPath: DataPathOptions,
                    binaries: PostgresBinaries, restartPolicy: ReceiverRestartPolicy = ReceiverRestartPolicy()) {
            self.slot = slot
            self.spoolDirectory = spoolDirectory
            self.partialInterval = partialInterval
            self.connection = connection
            self.dataPath = dataPath
            self.binaries = binaries
            self.restartPolicy = restartPolicy
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// The repository receiving the WAL.
    public let repository: Repository
    private let logger: Logger

    /// A streamer into `repository`.
    public init(configuration: Configuration, repository: Repository, logger: Logger) {
        self.configuration = configuration
        self.repository = repository
        self.logger = logger
    }

    /// Streams until `shutdown` is triggered, then stops `pg_receivewal`, ships the spool (partial included),
    /// publishes a final status and returns. Throws when nothing can continue safely: another cluster's
    /// repository or spool, WAL that conflicts with the archive, a slot name taken by a logical slot.
    public func run(shutdown: ShutdownSignal) async throws {
        try ReplicationSlot.validate(name: configuration.slot)
        let receiver = try configuration.binaries.path("pg_receivewal")
        let probe = ServerProbe(settings: configuration.connection)
        defer { probe.close() }
        // Identity first: nothing is shipped before the repository is known to belong to this server.
        let identity = try await probe.identity()
        try await ClusterClaim.ensure(identity, in: repository)
        let archive = WALArchive(repository: repository, identity: identity)
        let spool = WALSpool(directory: configuration.spoolDirectory, segmentSize: identity.walSegmentSize)
        try spool.prepare()

        var status: StreamStatus
        do {
            status = try await StreamStatus.load(slot: configuration.slot, identity: identity, from: repository)
                ?? StreamStatus(slot: configuration.slot, identity: identity, partialIntervalSeconds: configuration.partialInterval)
        } catch let error as LifeboatError where error.code == .integrity {
            logger.warning("starting a new stream status: \(error.message)")
            status = StreamStatus(slot: configuration.slot, identity: identity, partialIntervalSeconds: configuration.partialInterval)
        }
        status.partialIntervalSeconds = configuration.partialInterval
        let book = StreamStatusBook(status: status, identity: identity, repository: repository, logger: logger)
        let shipper = SpoolShipper(spool: spool, archive: archive, options: configuration.dataPath, logger: logger)
        logger.notice("wal-stream: \(identity), slot \"\(configuration.slot)\", spool \(spool.directory), repository \(repository.storage.location); the partial segment is shipped every \(configuration.partialInterval) s, which is the RPO if the server dies")

        // What an earlier run left in the spool goes first: it is part of the WAL the slot no longer keeps.
        await book.shipped(try await shipper.ship(includePartial: true, flushedAtLeast: nil))

        let context = Context(configuration: configuration, receiver: receiver, archive: archive, spool: spool, shipper: shipper, book: book,
                              probe: probe, logger: logger, shutdown: shutdown)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await context.superviseReceiver() }
            group.addTask { try await context.shipPeriodically() }
            try await group.waitForAll()
        }

        // The slot's restart_lsn is what pg_receivewal last reported flushed: asked before reading the spool, it is a
        // lower bound of what the partial segment holds.
        let finalState = try? await probe.slot(configuration.slot)
        if let finalState { await book.observe(finalState) }
        await book.shipped(try await shipper.ship(includePartial: true, flushedAtLeast: finalState?.restartLSN))
        await book.publish(running: false)
        logger.notice("wal-stream stopped: the spool is shipped, partial segment included")
    }

    /// Everything the two loops share.
    private struct Context: Sendable {
        let configuration: Configuration
        let receiver: String
        let archive: WALArchive
        let spool: WALSpool
        let shipper: SpoolShipper
        let book: StreamStatusBook
        let probe: ServerProbe
        let logger: Logger
        let shutdown: ShutdownSignal

        var slot: String { configuration.slot }

        /// Runs `pg_receivewal` until shutdown, restarting it with backoff, checking the slot before each start.
        func superviseReceiver() async throws {
            var policy = configuration.restartPolicy
            let environment = configuration.connection.environment()
            while !shutdown.isTriggered {
                do {
                    try await ensureSlot(environment: environment)
                } catch let error as LifeboatError where error.code == .conflict {
                    throw error
                } catch {
                    let delay = policy.nextDelay(afterRunOf: 0)
                    logger.error("cannot prepare replication slot \"\(slot)\" (retrying in \(delay) s): \(error)")
                    await shutdown.sleep(seconds: delay)
                    continue
                }
                let started = Date()
                let child = try ChildProcess(
                    executable: receiver,
                    arguments: ["-D", spool.directory, "--slot", slot, "--no-loop", "--synchronous", "--no-password"],
                    environment: environment, stdout: .null)
                logger.info("pg_receivewal started (pid \(child.pid))", metadata: ["wal.slot": "\(slot)"])
                // pg_receivewal (15+) exits cleanly on SIGTERM; one that hangs is killed after a grace period.
                let (exitStatus, stderr) = try await shutdown.whileRunning(onTrigger: { child.terminate(grace: 15) }) {
                    try await withTaskCancellationHandler {
                        try await child.waitForExit()
                    } onCancel: {
                        child.terminate(grace: 15)
                    }
                }
                if shutdown.isTriggered || Task.isCancelled { break }
                let said = stderr.split(separator: "\n").suffix(3).joined(separator: " / ")
                let delay = policy.nextDelay(afterRunOf: Date().timeIntervalSince(started))
                logger.error("pg_receivewal exited with status \(exitStatus) (restarting in \(delay) s): \(said)", metadata: ["wal.slot": "\(slot)"])
                if ReceiverRestartPolicy.classify(stderr: stderr) == .walRemoved {
                    await recoverFromRemovedWAL()
                }
                await shutdown.sleep(seconds: delay)
            }
        }

        /// Creates the slot when missing, recreates it when lost, and records a gap when continuity is in doubt.
        private func ensureSlot(environment: [String: String]) async throws {
            let state = try await probe.slot(slot)
            await book.observe(state)
            if state.exists && !state.isLost { return }
            let plan = SlotPlan.decide(slot: state, lastKnownWAL: try await lastKnownWAL())
            if plan.dropFirst {
                logger.error("replication slot \"\(slot)\" was invalidated by the server (wal_status \(state.walStatusText)); dropping and recreating it")
                _ = try await probe.dropSlot(slot)
            }
            if plan.create {
                try await ReplicationSlot.create(slot, binaries: configuration.binaries, environment: environment)
                logger.notice("created replication slot \"\(slot)\"")
            }
            let created = try await probe.slot(slot)
            await book.observe(created)
            if let reason = plan.gap {
                // A slot made by pg_receivewal reserves WAL only once it streams; until then the stream would start
                // at the server's current position.
                await book.recordGap(reason, from: plan.gapFrom, to: created.restartLSN ?? created.serverLSN)
                await book.publish(running: true)
            }
        }

        /// The end of the WAL the archive, the spool or this streamer already hold (nil: none at all).
        private func lastKnownWAL() async throws -> LSN? {
            let size = archive.identity.walSegmentSize
            let archived = try await archive.list().filter { $0.name.kind == .segment || $0.name.kind == .partial }.map {
                $0.name.kind == .segment ? LSN(($0.name.segmentNumber + 1) * size) : $0.name.startLSN(segmentSize: size)
            }.max()
            let spooled = try spool.list().knownEnd(segmentSize: size)
            let shipped = await book.lastShippedLSN
            return [archived, spooled, shipped].compactMap { $0 }.max()
        }

        /// The server no longer has the WAL after the spool's end: ship what the spool has, clear its partial
        /// segments so `pg_receivewal` starts at the slot's position, and record the gap.
        private func recoverFromRemovedWAL() async {
            do {
                let from = try await lastKnownWAL()
                await book.shipped(try await shipper.shipAndClearPartials(flushedAtLeast: nil))
                let state = try await probe.slot(slot)
                await book.observe(state)
                await book.recordGap(.walRemoved, from: from, to: state.restartLSN)
                await book.publish(running: true)
            } catch {
                logger.error("could not recover from removed WAL: \(error)")
            }
        }

        /// Ships every interval; a failing repository is retried at the next one, a conflict stops the streamer.
        func shipPeriodically() async throws {
            while !shutdown.isTriggered {
                await shutdown.sleep(seconds: configuration.partialInterval)
                if shutdown.isTriggered || Task.isCancelled { return }
                // The slot first: its restart_lsn, asked before the spool is read, bounds what the partial holds.
                var flushed: LSN?
                do {
                    let state = try await probe.slot(slot)
                    flushed = state.restartLSN
                    await book.observe(state)
                } catch {
                    logger.warning("cannot read the state of replication slot \"\(slot)\": \(error)")
                }
                do {
                    await book.shipped(try await shipper.ship(includePartial: true, flushedAtLeast: flushed))
                } catch let error as LifeboatError where error.code == .conflict || error.code == .integrity {
                    throw error
                } catch {
                    logger.error("shipping WAL failed (it stays in the spool; retrying in \(configuration.partialInterval) s): \(error)")
                }
                await book.publish(running: true)
            }
        }
    }
}
