import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// Takes a physical base backup: `pg_basebackup -D - -Ft -X none` streamed through the data path into
/// `clusters/<cluster>/<timeline>/base/<id>/`, then waits until the WAL from its start to its stop segment is archived,
/// and only then publishes the manifest (layout and fields in docs/FORMAT.md).
public struct BaseBackup: Sendable {
    /// Manifest role of the tar of the data directory.
    public static let tarRole = "base"
    /// Manifest role of PostgreSQL's own `backup_manifest`, stored beside the tar.
    public static let postgresManifestRole = "postgres-manifest"

    /// The repository to write into.
    public let repository: Repository
    /// Where pg_basebackup is found.
    public let binaries: PostgresBinaries
    /// Logger.
    public let logger: Logger

    /// Creates a runner.
    public init(repository: Repository, binaries: PostgresBinaries, logger: Logger) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
    }

    /// Runs the backup and returns its published manifest. A backup whose WAL never arrived, or that failed in any
    /// other way, is not published and its objects are removed (leftovers are garbage that `prune` clears).
    public func run(_ request: BaseBackupRequest, progress: ProgressReporter) async throws -> BackupManifest {
        let started = Date()
        let pgBasebackup = try binaries.path("pg_basebackup")
        _ = try await repository.storage.list(prefix: Repository.clustersFolder + "~probe")

        let connection = try await PGConnection.connect(request.connection)
        defer { connection.close() }
        let identity = try await runBlocking { try ClusterIdentity.query(connection) }
        let serverVersion = try await runBlocking { try Catalog.serverVersion(connection) }
        let serverVersionNumber = connection.serverVersionNumber
        try await refuseExtraTablespaces(connection)
        // Another cluster's repository is refused before any byte is written.
        try await ClusterClaim.ensure(identity, in: repository)
        let toolVersion = try await ChildProcess.run(pgBasebackup, ["--version"], what: "reading pg_basebackup's version").trimmingCharacters(in: .whitespacesAndNewlines)
        try checkToolVersion(toolVersion, serverMajor: identity.majorVersion)

        let id = BackupID.make(kind: .base, at: started)
        var log = logger
        log[metadataKey: "backup.id"] = "\(id)"
        log.info("base backup started", metadata: ["repository": "\(repository.storage.location)", "cluster": "\(identity)"])
        var args = ["-D", "-", "-Ft", "-X", "none", "--no-password", "--checkpoint", request.fastCheckpoint ? "fast" : "spread", "--label", "lifeboat \(id)"]
        var dataPath = request.dataPath
        let objectName: String
        switch request.compressionSide {
        case .client:
            objectName = "base.tar" + dataPath.objectSuffix
        case .server:
            args += ["--compress=server-zstd" + (request.serverCompressionLevel.map { ":level=\($0)" } ?? ""), "--no-manifest"]
            dataPath = try DataPathOptions(compression: .none, compressionThreads: 1, encryptionKey: request.dataPath.encryptionKey)
            objectName = "base.tar.zst" + (dataPath.encryptionKey == nil ? "" : ".enc")
        }
        progress.setPhase("base backup")
        var written: [String] = []
        do {
            // A name of its own lets the watchdog find this backup's walsender on the server.
            let applicationName = "lifeboat-\(id)"
            var environment = request.connection.environment()
            environment["PGAPPNAME"] = applicationName
            let child = try ChildProcess(executable: pgBasebackup, arguments: args, environment: environment)
            let watchdog = BaseBackupArchiveWatchdog(connection: connection, applicationName: applicationName, timeout: request.walTimeout, pollInterval: request.walPollInterval)
            let stream: BaseBackupStream
            do {
                let fd = child.stdoutFD, serverCompressed = request.compressionSide == .server, repository = self.repository, options = dataPath
                stream = try await withThrowingTaskGroup(of: BaseBackupStream?.self) { group in
                    group.addTask {
                        try await BaseBackupStream.store(
                            fd: fd, serverCompressed: serverCompressed, identity: identity, id: id, objectName: objectName, repository: repository,
                            dataPath: options, progress: progress)
                    }
                    group.addTask { try await watchdog.watch(backupID: id) }
                    do {
                        let first = try await group.next() ?? nil
                        group.cancelAll()
                        guard let first else { throw LifeboatError(.tool, "base backup \(id) ended without its data stream") }
                        return first
                    } catch {
                        // The watchdog gave up (or the stream failed): stop pg_basebackup so its output ends and the
                        // stream's task returns; a signal rather than closing the pipe under a read in flight.
                        kill(child.pid, SIGTERM)
                        group.cancelAll()
                        throw error
                    }
                }
            } catch {
                child.terminate()
                let (_, stderr) = try await child.waitForExit()
                // pg_basebackup's own words explain an early end (a refused connection, missing replication rights).
                if let failure = error as? LifeboatError, failure.code == .integrity || failure.code == .tool, !stderr.isEmpty {
                    throw ToolFailure.classify(tool: "pg_basebackup", what: "taking a base backup of \(request.connection.describe())", status: 1, stderr: stderr)
                }
                throw error
            }
            written.append(stream.folder + objectName)
            try await child.checkSuccess("taking a base backup of \(request.connection.describe())")
            let stopped = Date()
            progress.finishLine()
            var objects = [BackupManifest.Object(name: objectName, role: Self.tarRole, plainBytes: stream.stats.plainBytes, storedBytes: stream.stats.storedBytes, sha256: stream.stats.sha256)]

            let archive = WALArchive(repository: repository, identity: identity)
            let waiter = BaseBackupWALWaiter(archive: archive, timeout: request.walTimeout, pollInterval: request.walPollInterval)
            let stopLSN: LSN
            let stopTimeline: UInt32
            if let manifestBytes = stream.postgresManifest {
                let parsed = try PostgresBackupManifest(bytes: manifestBytes, what: "the backup_manifest of base backup \(id)")
                guard let last = parsed.walRanges.last else {
                    throw LifeboatError(.integrity, "the backup_manifest of base backup \(id) lists no WAL range")
                }
                stopLSN = last.end
                stopTimeline = last.timeline
                let name = "backup_manifest" + request.dataPath.objectSuffix
                let encoder = try await ObjectEncoder(path: stream.folder + name, storage: repository.storage, options: request.dataPath, progress: nil)
                do {
                    try await encoder.write(manifestBytes)
                    let stats = try await encoder.finish()
                    written.append(encoder.path)
                    objects.append(BackupManifest.Object(name: name, role: Self.postgresManifestRole, plainBytes: stats.plainBytes, storedBytes: stats.storedBytes, sha256: stats.sha256))
                } catch {
                    await encoder.abort()
                    throw error
                }
            } else {
                // No PostgreSQL manifest (server-side compression): the backup history file archived at the end holds the stop LSN.
                let historyName = Self.backupHistoryName(start: stream.label.startLSN, timeline: stream.label.startTimeline, segmentSize: identity.walSegmentSize)
                progress.setPhase("waiting for \(historyName)")
                try await waiter.waitFor([historyName], purpose: "that record this backup's stop position (server-side compression has no backup_manifest; use --compression-side client with wal-stream, which does not archive backup history files)")
                let keyring = request.dataPath.encryptionKey.map { EncryptionKeyring(current: $0, previous: []) }
                guard let bytes = try await archive.fetch(historyName, keyring: keyring) else {
                    throw LifeboatError(.notFound, "\(historyName) disappeared from the archive while base backup \(id) was reading it")
                }
                let history = try BackupLabel(text: String(decoding: bytes, as: UTF8.self), what: "backup history file \(historyName)")
                guard let stop = history.stopLSN else {
                    throw LifeboatError(.integrity, "backup history file \(historyName) has no STOP WAL LOCATION")
                }
                stopLSN = stop
                stopTimeline = history.stopTimeline ?? history.startTimeline
            }
            guard stopTimeline == stream.label.startTimeline else {
                throw LifeboatError(.conflict, "the server changed timeline during base backup \(id) (from \(stream.label.startTimeline) to \(stopTimeline))", hint: "take the base backup again now that the promotion is over")
            }
            let needed = BaseBackupWALWaiter.requiredSegments(timeline: stopTimeline, start: stream.label.startLSN, stop: stopLSN, segmentSize: identity.walSegmentSize)
            progress.setPhase("waiting for WAL \(needed.first!)…\(needed.last!)")
            log.info("waiting for WAL", metadata: ["wal.first": "\(needed.first!)", "wal.last": "\(needed.last!)"])
            let waitLog = log
            try await waiter.waitFor(needed, purpose: "from this backup's start \(stream.label.startLSN) to its stop \(stopLSN), without which it cannot be restored") { first, count in
                waitLog.notice("waiting up to \(DurationText.format(request.walTimeout.rounded(.up))) for \(count) WAL file\(count == 1 ? "" : "s") to reach the repository, first \(first); the backup is published once they are there")
            }

            let physical = BackupManifest.Physical(
                systemIdentifier: identity.systemIdentifier, timeline: stream.label.startTimeline, startLSN: stream.label.startLSN, stopLSN: stopLSN,
                startWAL: needed.first!.description, stopWAL: needed.last!.description, walSegmentSize: identity.walSegmentSize,
                compressionSide: request.compressionSide.rawValue, postgresManifest: stream.postgresManifest != nil)
            let manifest = BackupManifest(
                id: id, kind: .base, startedAt: started, finishedAt: stopped, serverVersion: serverVersion, serverVersionNumber: serverVersionNumber,
                toolVersion: toolVersion, databases: [], objects: objects, compression: dataPath.compression.rawValue,
                compressionLevel: dataPath.compressionLevel, encryptionKeyId: dataPath.encryptionKey?.id, options: BackupManifest.Options(globals: false),
                physical: physical)
            try await repository.publish(manifest)
            progress.finishLine()
            log.info("base backup finished", metadata: ["backup.start_lsn": "\(physical.startLSN)", "backup.stop_lsn": "\(physical.stopLSN)", "backup.stored_bytes": "\(manifest.storedBytes)"])
            return manifest
        } catch {
            progress.finishLine()
            log.error("base backup failed; removing its objects", metadata: ["error": "\(error)"])
            try? await repository.storage.delete(paths: written)
            throw error
        }
    }

    /// The backup history file PostgreSQL archives for a backup that started at `start`: `<segment>.<offset>.backup`.
    public static func backupHistoryName(start: LSN, timeline: UInt32, segmentSize: UInt64) -> WALFileName {
        let segment = WALFileName.segment(containing: start, timeline: timeline, segmentSize: segmentSize)
        let offset = String(start.value % segmentSize, radix: 16, uppercase: true)
        let text = segment.description + "." + String(repeating: "0", count: max(0, 8 - offset.count)) + offset + ".backup"
        return WALFileName(text, segmentSize: segmentSize)!
    }

    /// The folder of base backup `id` of `identity` started on `timeline` (as `Repository.folder(of:)` gives for its manifest).
    public static func folder(id: String, identity: ClusterIdentity, timeline: UInt32) -> String {
        WALArchive.timelineFolder(identity: identity, timeline: timeline) + "base/\(id)/"
    }

    private func refuseExtraTablespaces(_ connection: PGConnection) async throws {
        let rows = try await connection.run("SELECT spcname, pg_tablespace_location(oid) FROM pg_tablespace WHERE spcname NOT IN ('pg_default', 'pg_global') ORDER BY 1")
        guard !rows.isEmpty else { return }
        let list = rows.map { "\($0[0] ?? "?") (\($0[1] ?? "?"))" }.joined(separator: ", ")
        throw LifeboatError(
            .invalidInput,
            "the server has \(rows.count) tablespace\(rows.count == 1 ? "" : "s") besides pg_default and pg_global: \(list); PostgreSQL 15's pg_basebackup streams only one tablespace to standard output",
            hint: "move their tables to pg_default (ALTER TABLE … SET TABLESPACE pg_default), or use logical backups for this server")
    }

    private func checkToolVersion(_ version: String, serverMajor: Int) throws {
        // "pg_basebackup (PostgreSQL) 15.18 (Debian …)": the tool must be of the server's major version or newer.
        let words = version.split(separator: " ")
        if let word = words.first(where: { $0.first?.isNumber == true }), let major = Int(word.split(separator: ".").first ?? ""), major < serverMajor {
            throw LifeboatError(.tool, "\(version) is older than the server (PostgreSQL \(serverMajor))", hint: "use pg_basebackup from PostgreSQL \(serverMajor) or later (LIFEBOAT_PG_BINDIR)")
        }
    }
}
