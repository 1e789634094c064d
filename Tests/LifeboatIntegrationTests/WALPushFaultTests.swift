import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("wal-push under faults: races, kill -9, look-ahead acknowledgements")
struct WALPushFaultTests {
    @Test("given two wal-push processes racing on one segment name with different content, then exactly one wins and the other fails loudly without overwriting")
    func racingPushes() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo"])
        try await withPostgresCluster { cluster in
            let segment = try await WALFixture.switchSegment(cluster)
            var original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/pg_wal/" + segment.name)))
            var paths: [String] = []
            for variant in 0..<2 {
                // The same header (same cluster, same position), a different byte in the records.
                original[4096 + 100] ^= UInt8(variant + 1)
                let folder = root + "/variant\(variant)"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                try Data(original).write(to: URL(fileURLWithPath: folder + "/" + segment.name))
                paths.append(folder + "/" + segment.name)
            }
            let children = try paths.map { try cli.start(["wal-push", "--pgdata", cluster.dataDirectory, $0]) }
            var results: [(status: Int32, stderr: String)] = []
            for child in children { results.append(try await child.waitForExit()) }
            #expect(results.filter { $0.status == 0 }.count == 1, "\(results)")
            let loser = try #require(results.first { $0.status != 0 })
            #expect(loser.stderr.contains("different content") && loser.stderr.contains(segment.name), "\(loser.stderr)")
            let winner = try #require(results.firstIndex { $0.status == 0 })
            let fetched = root + "/fetched"
            let fetch = try await cli.run(["wal-fetch", segment.name, fetched, "--pgdata", cluster.dataDirectory])
            #expect(fetch.status == 0, "\(fetch.output)")
            #expect(try WALFixture.sha256(file: fetched) == WALFixture.sha256(file: paths[winner]))
        }
    }

    enum Backend: String, CaseIterable, Sendable { case directory, s3 }

    @Test("given wal-push killed with SIGKILL at several moments, then a later fetch either finds nothing (exit 1) or exactly the segment, never a partial object",
          arguments: Backend.allCases)
    func killNine(backend: Backend) async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try await withMotoServer(buckets: ["wal"]) { moto in
            let environment = backend == .s3 ? WALFixture.s3Environment(endpoint: moto.endpoint) : ["LIFEBOAT_REPO": "file://\(root)/repo"]
            let cli = LifeboatCLI(environment: environment)
            try await withPostgresCluster { cluster in
                var killedEarly = 0
                for delay in [0, 10, 25, 50, 100, 200] {
                    // A fresh segment each time, uncompressed so the write takes a while (two multipart parts on S3).
                    let segment = try await WALFixture.switchSegment(cluster, rows: 20_000)
                    let child = try cli.start(["wal-push", "--compression", "none", "--pgdata", cluster.dataDirectory,
                                               cluster.dataDirectory + "/pg_wal/" + segment.name])
                    try await Task.sleep(for: .milliseconds(delay))
                    kill(child.pid, SIGKILL)
                    let (status, _) = try await child.waitForExit()
                    if status == 128 + SIGKILL { killedEarly += 1 }
                    let destination = root + "/fetched-\(delay)"
                    let fetch = try await cli.run(["wal-fetch", segment.name, destination, "--pgdata", cluster.dataDirectory, "--attempts", "1"])
                    if fetch.status == 0 {
                        #expect(try WALFixture.sha256(file: destination) == segment.sha256, "a killed push left a wrong object")
                    } else {
                        // Exit 1 needs a claimed repository; a kill before the claim gives 200 ("no WAL archive"), also not a promotion.
                        #expect(fetch.status == 1 || fetch.stderr.contains("holds no WAL archive"), "\(fetch.output)")
                        #expect(!FileManager.default.fileExists(atPath: destination))
                    }
                    // PostgreSQL retries the push; it must then succeed and be fetchable.
                    let retry = try await cli.run(["wal-push", "--pgdata", cluster.dataDirectory, cluster.dataDirectory + "/pg_wal/" + segment.name])
                    #expect(retry.status == 0, "\(retry.output)")
                    let again = try await cli.run(["wal-fetch", segment.name, destination, "--pgdata", cluster.dataDirectory])
                    #expect(again.status == 0, "\(again.output)")
                    #expect(try WALFixture.sha256(file: destination) == segment.sha256)
                }
                #expect(killedEarly > 0, "every push finished before its kill; the interrupted path was not exercised")
            }
        }
    }

    @Test("given segments waiting as .ready, when wal-push runs with --parallel 4, then the next ready segments are stored and acknowledged, later calls for them return at once, and an acknowledgement that does not match is never trusted")
    func lookAhead() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)", "LIFEBOAT_LOG_LEVEL": "info"])
        var options = LocalPostgresCluster.Options()
        // Archiving that always fails keeps the segments .ready, as a backlog does.
        options.settings = ["archive_mode": "on", "archive_command": "'/bin/false'"]
        try await withPostgresCluster(options) { cluster in
            var segments: [(name: String, sha256: String)] = []
            for _ in 0..<5 { segments.append(try await WALFixture.switchSegment(cluster)) }
            let data = cluster.dataDirectory
            let spool = root + "/spool"
            let push = { (name: String, parallel: Int) in
                try await cli.run(["wal-push", "--pgdata", data, "--spool-dir", spool, "--parallel", String(parallel), data + "/pg_wal/" + name])
            }
            let first = try await push(segments[0].name, 4)
            #expect(first.status == 0, "\(first.output)")
            #expect(WALFixture.archivedNames(repository: repository) == segments.prefix(4).map(\.name))
            let acknowledged = (try FileManager.default.contentsOfDirectory(atPath: spool)).sorted()
            #expect(acknowledged == segments[1...3].map { $0.name + ".ok" })
            // .ready files are PostgreSQL's: untouched.
            for segment in segments {
                #expect(FileManager.default.fileExists(atPath: data + "/pg_wal/archive_status/\(segment.name).ready"))
            }

            let second = try await push(segments[1].name, 1)
            #expect(second.status == 0 && second.output.contains("already stored by a look-ahead"), "\(second.output)")
            #expect(!FileManager.default.fileExists(atPath: spool + "/\(segments[1].name).ok"))

            // The file changed since the look-ahead read it (touched), and the acknowledgement's checksum does not match
            // it: not trusted, pushed again (found archived with the same content).
            let thirdAck = spool + "/\(segments[2].name).ok"
            let text = try String(contentsOfFile: thirdAck, encoding: .utf8).replacingOccurrences(of: segments[2].sha256, with: String(repeating: "0", count: 64))
            try text.write(toFile: thirdAck, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: data + "/pg_wal/" + segments[2].name)
            let third = try await push(segments[2].name, 1)
            #expect(third.status == 0 && third.output.contains("already archived with the same content"), "\(third.output)")

            // A forged acknowledgement for a segment that is not stored (another repository): it is stored now.
            let fifth = segments[4]
            let forged = #"{"name":"\#(fifth.name)","sha256":"\#(fifth.sha256)","bytes":16777216,"repository":"file:///elsewhere","systemIdentifier":"\#(try ClusterIdentity.read(dataDirectory: data).systemIdentifier)"}"#
            try forged.write(toFile: spool + "/\(fifth.name).ok", atomically: true, encoding: .utf8)
            let pushed = try await push(fifth.name, 1)
            #expect(pushed.status == 0 && pushed.output.contains("archived \(fifth.name)"), "\(pushed.output)")
            #expect(WALFixture.archivedNames(repository: repository).contains(fifth.name))
        }
    }
}
