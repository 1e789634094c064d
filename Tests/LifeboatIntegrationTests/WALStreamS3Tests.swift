import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `lifeboat wal-stream` into an encrypted S3 repository (moto_server), read back with `lifeboat wal-fetch`.
@Suite("wal-stream into S3 with encryption")
struct WALStreamS3Tests {
    static let slot = "lifeboat_s3"

    @Test("given wal-stream into an encrypted S3 repository, when segments complete and new WAL is written, then wal-fetch returns each segment identical to the server's and serves the replaced partial segment holding the newest WAL")
    func streamsIntoEncryptedS3() async throws {
        try await withMotoServer(buckets: ["wal"]) { moto in
            try await withPostgresCluster { cluster in
                try await withTemporaryDirectory { dir in
                    let key = EncryptionKey.generate()
                    let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging([
                        "LIFEBOAT_REPO": "s3://wal/prod", "LIFEBOAT_S3_ENDPOINT": moto.endpoint.absoluteString,
                        "AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
                        "LIFEBOAT_ENCRYPTION_KEY": key.exported,
                    ]) { $1 })
                    func scalar(_ sql: String) async throws -> String { try await cluster.query(sql).first?.first.flatMap { $0 } ?? "" }
                    func serverSHA(_ name: String, length: Int? = nil) async throws -> String {
                        try await scalar("SELECT encode(sha256(pg_read_binary_file('pg_wal/\(name)'\(length.map { ", 0, \($0)" } ?? ""))), 'hex')")
                    }
                    /// `wal-fetch` into a file; nil when it exits non-zero (not archived yet).
                    func fetch(_ name: String) async throws -> [UInt8]? {
                        let destination = dir + "/fetched-" + name
                        let result = try await cli.run(["wal-fetch", "--pgdata", cluster.dataDirectory, name, destination])
                        guard result.status == 0 else { return nil }
                        return Array(try Data(contentsOf: URL(fileURLWithPath: destination)))
                    }
                    func hex(_ bytes: some Sequence<UInt8>) -> String { WALObject.sha256(Array(bytes)) }

                    let child = try cli.start(["wal-stream", "--slot", Self.slot, "--spool", dir + "/spool", "--partial-interval", "1"])
                    let active = try await WALStreamTests.eventually(within: 30) {
                        try await scalar("SELECT count(*)::text FROM pg_replication_slots WHERE slot_name = '\(Self.slot)' AND active") == "1"
                    }
                    #expect(active, "the slot never became active")
                    try await cluster.execute(["CREATE TABLE t (id int, body text)", "INSERT INTO t SELECT g, repeat('y', 100) FROM generate_series(1, 3000) g"])
                    let switched = try await scalar("SELECT pg_walfile_name(pg_switch_wal())")
                    // Until the complete segment is shipped, wal-fetch serves the newest .partial padded with zeros (by design):
                    // wait for the whole segment rather than the first answer.
                    let wholeSegment = try await serverSHA(switched)
                    let segmentArrived = try await WALStreamTests.eventually(within: 30) { try await fetch(switched).map(hex) == wholeSegment }
                    #expect(segmentArrived, "\(switched) never reached S3 whole: the fetched copy differs from the server's")

                    try await cluster.execute(["SET synchronous_commit = on", "INSERT INTO t VALUES (7, 'newest')"])
                    let flushed = try #require(LSN(try await scalar("SELECT pg_current_wal_flush_lsn()::text")))
                    let current = WALFileName.segment(containing: flushed, timeline: 1, segmentSize: WALFileName.defaultSegmentSize)
                    let length = Int(flushed.value - current.startLSN(segmentSize: WALFileName.defaultSegmentSize).value)
                    let expected = try await serverSHA(current.description, length: length)
                    // wal-fetch serves the replaceable .partial object (padded to a whole segment) while the segment is unfinished.
                    let partialArrived = try await WALStreamTests.eventually(within: 20) {
                        guard let bytes = try await fetch(current.description), bytes.count >= length else { return false }
                        return hex(bytes.prefix(length)) == expected
                    }
                    #expect(partialArrived, "the partial segment in S3 never held the WAL up to \(flushed)")

                    kill(child.pid, SIGTERM)
                    let (status, log) = try await child.waitForExit()
                    #expect(status == 0, "\(log)")
                    #expect(!log.contains(key.exported), "the key leaked into the log")
                }
            }
        }
    }
}
