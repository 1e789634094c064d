import ArgumentParser
import BackupEngine
import Dispatch
import Foundation

struct WALStreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wal-stream",
        abstract: "Stream WAL into the repository with pg_receivewal and a replication slot (no change to the server's settings), or drop the slot.",
        discussion: """
            For a server whose image and settings cannot be changed (the Deployment the operator runs): pg_receivewal
            streams through the physical replication slot --slot into --spool, a folder on a volume that survives
            restarts. The slot advances when WAL reaches the spool, not the repository, so files leave the spool only
            once they are durable in the repository: complete segments (created only if absent), timeline history files,
            and every --partial-interval the current partial segment as <segment>.partial (the one replaceable WAL
            object; wal-fetch serves it when the complete segment is absent).

            RPO: if the server dies, the WAL written since the last partial upload is lost, so --partial-interval (default
            5 s) plus the time of one upload is the recovery point objective of this mode.

            The slot is created when missing. A slot created anew while the archive already holds WAL, or one the server
            invalidated (wal_status lost), is a GAP: logged at error level with the LSN range that may be missing and kept in
            the status object clusters/<cluster>/stream/<slot>.json, which `lifeboat check` reads. Every interval a line
            reports the last shipped position and time, the slot lag (pg_current_wal_lsn() - restart_lsn) and wal_status.
            pg_receivewal is restarted with backoff when it exits; SIGTERM stops it, ships the spool (partial included) and
            exits 0.

            The PostgreSQL user needs the REPLICATION attribute (and a `replication` line in pg_hba.conf) and must be able to
            read pg_control_system() (pg_monitor). --drop-slot drops the slot and exits; an absent slot is success.

            Example:
              PGHOST=db PGUSER=streamer PGPASSWORD=… LIFEBOAT_REPO=s3://backups/prod \\
                lifeboat wal-stream --slot lifeboat_app --spool /var/lib/lifeboat/spool
            """)

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions

    @Option(name: .long, help: "The physical replication slot (lower-case letters, digits, underscores; created when missing).")
    var slot: String

    @Option(name: .long, help: ArgumentHelp("Spool folder for pg_receivewal, on a volume that survives restarts (required unless --drop-slot).", valueName: "path"))
    var spool: String?

    @Option(name: .customLong("partial-interval"), help: "Seconds between uploads of the current partial segment (and shipping passes): the RPO if the server dies.")
    var partialInterval: Double = 5

    @Flag(name: .customLong("drop-slot"), help: "Drop the replication slot and exit (an absent slot is success); for the cleanup Job.")
    var dropSlot = false

    @Option(name: .customLong("drop-wait"), help: "With --drop-slot: seconds to wait for a streamer still using the slot to stop.")
    var dropWait: Double = 30

    @Option(name: .long, help: "zstd (default), lz4, gzip or none.")
    var compression: String = "zstd"

    @Option(name: .customLong("compression-level"), help: "Compression level (zstd 1-19, default 3; lz4 0-12; gzip 1-9).")
    var compressionLevel: Int?

    func validate() throws {
        do {
            try ReplicationSlot.validate(name: slot)
        } catch let error as LifeboatError {
            throw ValidationError(error.message + (error.hint.map { " (\($0))" } ?? ""))
        }
        if !dropSlot && (spool ?? "").isEmpty { throw ValidationError("--spool is required to stream (or pass --drop-slot)") }
        if dropSlot && spool != nil { throw ValidationError("--drop-slot only drops the slot; leave out --spool") }
        guard partialInterval >= 0.2 && partialInterval <= 3600 else { throw ValidationError("--partial-interval must be between 0.2 and 3600 seconds") }
        guard dropWait >= 0 else { throw ValidationError("--drop-wait cannot be negative") }
        guard CompressionAlgorithm(rawValue: compression) != nil else { throw ValidationError("--compression must be zstd, lz4, gzip or none") }
    }

    func run() async throws {
        try await CommandRunner.run {
            let logger = CommandRunner.logger("wal-stream")
            if dropSlot {
                let server = try await PGConnection.connect(connection.settings)
                defer { server.close() }
                switch try await ReplicationSlot.drop(slot, connection: server, wait: dropWait) {
                case .dropped: print("dropped replication slot \"\(slot)\"")
                case .absent: print("replication slot \"\(slot)\" does not exist; nothing to drop")
                }
                return
            }
            let repo = try repository.open(logger: logger)
            let dataPath = try DataPathOptions(compression: CompressionAlgorithm(rawValue: compression) ?? .zstd, compressionLevel: compressionLevel,
                                               compressionThreads: 1, encryptionKey: try encryption.key())
            let streamer = WALStreamer(
                configuration: .init(slot: slot, spoolDirectory: spool ?? "", partialInterval: partialInterval, connection: connection.settings,
                                     dataPath: dataPath, binaries: try PostgresBinaries.locate()),
                repository: repo, logger: logger)
            let shutdown = ShutdownSignal()
            // SIGTERM (Kubernetes stopping the pod) and SIGINT end the stream gracefully: ship, then exit 0.
            let sources = [SIGTERM, SIGINT].map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { shutdown.trigger() }
                source.resume()
                return source
            }
            defer { sources.forEach { $0.cancel() } }
            try await streamer.run(shutdown: shutdown)
        }
    }
}
