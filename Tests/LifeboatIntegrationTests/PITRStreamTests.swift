import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Point-in-time recovery from WAL shipped by wal-stream (no archive_command)")
struct PITRStreamTests {
    @Test("given a server whose WAL reaches the repository only through wal-stream, when recovered to a transaction and to the latest WAL, then exactly the right markers are present, the newest from the shipped .partial segment")
    func recoverFromStreamedWAL() async throws {
        let repository = try PITR.sharedFolder("lifeboat-pitr-stream-repo")
        let restores = try PITR.sharedFolder("lifeboat-pitr-stream-restores")
        let spool = try TemporaryFiles.makeDirectory(prefix: "lifeboat-pitr-spool")
        defer {
            for path in [repository, restores, spool] { try? FileManager.default.removeItem(atPath: path) }
        }
        var options = LocalPostgresCluster.Options()
        options.settings = ["track_commit_timestamp": "on", "timezone": "'UTC'", "wal_level": "replica", "max_wal_senders": "4"]
        try await withPostgresCluster(options) { cluster in
            let cli = PITR.cli(cluster, repository: repository)
            let streamer = try cli.start(["wal-stream", "--slot", "pitr_stream", "--spool", spool, "--partial-interval", "1"])
            var stopped = false
            defer { if !stopped { streamer.terminate(grace: 1) } }
            try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)"])
            var streaming = false
            for _ in 0..<300 where !streaming {
                streaming = try await cluster.query("SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = 'pitr_stream' AND active")[0][0] == "1"
                if !streaming { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(streaming, "wal-stream never connected its slot")
            let backup = try await cli.run(["backup", "--kind", "base", "-q"])
            try #require(backup.status == 0, "base backup failed: \(backup.output)")
            var markers: [PITR.Marker] = []
            for id in 1...3 { markers.append(try await PITR.marker(id, in: cluster)) }
            // A durable commit flushes the markers' WAL (the test cluster commits asynchronously), so it can be streamed;
            // then wait until the streamer's status says it is in the repository.
            try await cluster.execute(["SET synchronous_commit = on", "CREATE TABLE flushed (id int)"])
            let flushed = try #require(LSN(try await cluster.query("SELECT pg_current_wal_flush_lsn()::text")[0][0] ?? ""))
            let archive = try await PITRStreamTests.archive(cluster, repository: repository)
            var shipped = false
            for _ in 0..<200 where !shipped {
                shipped = (try await StreamStatus.load(slot: "pitr_stream", identity: archive.identity, from: archive.repository)?.lastShippedLSN).map { $0 >= flushed } ?? false
                if !shipped { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(shipped, "wal-stream never shipped up to \(flushed)")
            kill(streamer.pid, SIGTERM)
            _ = try await streamer.waitForExit()
            stopped = true
            // The streamer ran as this (root) user; the restored servers' wal-fetch runs as postgres.
            if let user = PITR.serverUser {
                _ = try await ChildProcess.run("/bin/chown", ["-R", "\(user):\(user)", repository], what: "handing the repository to \(user)")
            }

            let check = try await cli.run(["check", "--no-server", "--wal-mode", "stream", "--slot", "pitr_stream"])
            #expect(check.stdout.contains(".partial"), "\(check.output)")
            try await PITRTargetsTests.recover(.init(name: "stream-xid", arguments: ["--target-xid", String(markers[1].xid)], markers: [1, 2], doomedTablePresent: false),
                                               cli: cli, into: restores + "/stream-xid")
            try await PITRTargetsTests.recover(.init(name: "stream-latest", arguments: ["--target", "latest"], markers: [1, 2, 3], doomedTablePresent: false),
                                               cli: cli, into: restores + "/stream-latest")
        }
    }

    static func archive(_ cluster: LocalPostgresCluster, repository: String) async throws -> WALArchive {
        let connection = try await PGConnection.connect(cluster.connection)
        defer { connection.close() }
        return WALArchive(repository: Repository(storage: try FileStorage(root: repository)), identity: try await runBlocking { try ClusterIdentity.query(connection) })
    }
}
