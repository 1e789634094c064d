import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("wal-fetch: exit 1 only for confirmed absence, 200 (stop recovery) for everything else")
struct WALFetchFaultTests {
    /// Switches `count` segments and archives each with wal-push run by hand.
    static func archive(_ cluster: LocalPostgresCluster, _ cli: LifeboatCLI, count: Int) async throws -> [(name: String, sha256: String)] {
        var segments: [(name: String, sha256: String)] = []
        for _ in 0..<count {
            let segment = try await WALFixture.switchSegment(cluster)
            let pushed = try await cli.run(["wal-push", "--pgdata", cluster.dataDirectory, cluster.dataDirectory + "/pg_wal/" + segment.name])
            #expect(pushed.status == 0, "\(pushed.output)")
            segments.append(segment)
        }
        return segments
    }

    @Test("given an archived segment whose stored object was corrupted, when fetched, then exit 200 after retries, naming the damage, and nothing is written")
    func corruptedObject() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo"])
        try await withPostgresCluster { cluster in
            let segment = try #require(try await Self.archive(cluster, cli, count: 1).first)
            let enumerator = FileManager.default.enumerator(atPath: root + "/repo")?.allObjects as? [String] ?? []
            let object = root + "/repo/" + (try #require(enumerator.first { $0.hasSuffix("/wal/" + segment.name) }))
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: object)))
            bytes[bytes.count / 2] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: object))
            let destination = root + "/fetched"
            let started = Date()
            let result = try await cli.run(["wal-fetch", segment.name, destination, "--pgdata", cluster.dataDirectory, "--attempts", "2", "--retry-delay", "0.2"])
            #expect(result.status == 200, "\(result.output)")
            #expect(result.stderr.contains("damaged") && result.stderr.contains("gave up after 2 attempts"), "\(result.stderr)")
            #expect(Date().timeIntervalSince(started) < 30)
            #expect(!FileManager.default.fileExists(atPath: destination))
        }
    }

    @Test("given S3 answering 503 to everything, when a segment is fetched, then exit 200 after the retries, not 1")
    func serverErrors() async throws {
        try await withMotoServer(buckets: ["wal"]) { moto in
            let root = try WALFixture.sharedDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            try await withPostgresCluster { cluster in
                let segment = try #require(try await Self.archive(cluster, LifeboatCLI(environment: WALFixture.s3Environment(endpoint: moto.endpoint)), count: 1).first)
                try await withS3FaultProxy(upstreamPort: moto.port, failFirst: 100_000) { proxy in
                    let cli = LifeboatCLI(environment: WALFixture.s3Environment(endpoint: proxy.endpoint))
                    for name in [segment.name, "00000002.history"] {
                        let result = try await cli.run(["wal-fetch", name, root + "/fetched", "--pgdata", cluster.dataDirectory, "--attempts", "2", "--retry-delay", "0.1"])
                        #expect(result.status == 200, "\(name): \(result.output)")
                        #expect(result.stderr.contains("503") || result.stderr.contains("SlowDown"), "\(result.stderr)")
                    }
                    #expect(try proxy.statistics().failed >= 4, "both attempts must have reached the server")
                }
            }
        }
    }

    @Test("given S3 that accepts connections but never answers in time, when a segment is fetched with --timeout 3s, then exit 200 within the limit")
    func stallingServer() async throws {
        try await withMotoServer(buckets: ["wal"]) { moto in
            let root = try WALFixture.sharedDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            try await withPostgresCluster { cluster in
                let segment = try #require(try await Self.archive(cluster, LifeboatCLI(environment: WALFixture.s3Environment(endpoint: moto.endpoint)), count: 1).first)
                try await withS3FaultProxy(upstreamPort: moto.port, failFirst: 0, stallFirst: 1000, stallSeconds: 60) { proxy in
                    let cli = LifeboatCLI(environment: WALFixture.s3Environment(endpoint: proxy.endpoint))
                    let started = Date()
                    let result = try await cli.run(["wal-fetch", segment.name, root + "/fetched", "--pgdata", cluster.dataDirectory, "--timeout", "3s"])
                    #expect(result.status == 200, "\(result.output)")
                    #expect(result.stderr.contains("did not finish within"), "\(result.stderr)")
                    #expect(Date().timeIntervalSince(started) < 20)
                }
            }
        }
    }

    @Test("given misuse (no claim on the repository, a bad name, a missing argument, another cluster's repository), when wal-fetch runs, then exit 200, never 1")
    func misuseStopsRecovery() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let empty = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/empty"])
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo"])
        try await withPostgresCluster { cluster in
            _ = try await Self.archive(cluster, cli, count: 1)
            let unclaimed = try await empty.run(["wal-fetch", "000000010000000000000001", root + "/x", "--pgdata", cluster.dataDirectory])
            #expect(unclaimed.status == 200 && unclaimed.stderr.contains("holds no WAL archive"), "\(unclaimed.output)")
            let badName = try await cli.run(["wal-fetch", "pg_wal/RECOVERYXLOG", "000000010000000000000001", "--pgdata", cluster.dataDirectory])
            #expect(badName.status == 200, "\(badName.output)")
            let missing = try await cli.run(["wal-fetch", "000000010000000000000001"])
            #expect(missing.status == 200, "\(missing.output)")
            try await withPostgresCluster { other in
                let foreign = try await cli.run(["wal-fetch", "000000010000000000000009", root + "/x", "--pgdata", other.dataDirectory])
                #expect(foreign.status == 200 && foreign.stderr.contains("holds the WAL of cluster"), "\(foreign.output)")
            }
        }
    }

    @Test("given an archive with a hole (a middle segment deleted), when the missing segment is fetched, then exit 200 naming the gap; past the last segment it is still 1")
    func gapIsNotTheEnd() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo"])
        try await withPostgresCluster { cluster in
            let segments = try await Self.archive(cluster, cli, count: 3)
            let objects = FileManager.default.enumerator(atPath: root + "/repo")?.allObjects as? [String] ?? []
            try FileManager.default.removeItem(atPath: root + "/repo/" + (try #require(objects.first { $0.hasSuffix("/wal/" + segments[1].name) })))
            let hole = try await cli.run(["wal-fetch", segments[1].name, root + "/x", "--pgdata", cluster.dataDirectory, "--attempts", "1"])
            #expect(hole.status == 200, "\(hole.output)")
            #expect(hole.stderr.contains("gap") && hole.stderr.contains(segments[2].name), "\(hole.stderr)")
            let end = try await cli.run(["wal-fetch", try #require(WALFileName(segments[2].name)).next.description, root + "/x", "--pgdata", cluster.dataDirectory])
            #expect(end.status == 1, "\(end.output)")
        }
    }

    @Test("given a segment archived only as .partial, when it is fetched, then the partial content is served padded to the segment size")
    func partialFallback() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo", "LIFEBOAT_LOG_LEVEL": "info"])
        try await withPostgresCluster { cluster in
            let archived = try await Self.archive(cluster, cli, count: 1)
            // A flushed commit, so the current segment's file holds its first pages (the test clusters commit asynchronously).
            try await cluster.execute(["SET synchronous_commit = on", "INSERT INTO wal_filler (note) SELECT 'partial ' || i FROM generate_series(1, 500) i"])
            let current = try #require(try await cluster.query("SELECT pg_walfile_name(pg_current_wal_lsn())").first?.first ?? nil)
            #expect(current > archived[0].name)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/pg_wal/" + current)).prefix(64 * 8192))
            let partial = root + "/\(current).partial"
            try Data(bytes).write(to: URL(fileURLWithPath: partial))
            let pushed = try await cli.run(["wal-push", "--pgdata", cluster.dataDirectory, partial])
            #expect(pushed.status == 0, "\(pushed.output)")
            let destination = root + "/fetched"
            let result = try await cli.run(["wal-fetch", current, destination, "--pgdata", cluster.dataDirectory])
            #expect(result.status == 0 && result.output.contains("from \(current).partial"), "\(result.output)")
            let fetched = [UInt8](try Data(contentsOf: URL(fileURLWithPath: destination)))
            #expect(fetched.count == 16 << 20)
            #expect(Array(fetched.prefix(bytes.count)) == bytes)
            #expect(fetched.dropFirst(bytes.count).allSatisfy { $0 == 0 }, "non-zero at \(fetched.indices.dropFirst(bytes.count).first { fetched[$0] != 0 } ?? -1); \(result.output)")
        }
    }

    @Test("given --prefetch 3, when segments are fetched in order, then later ones come verified from the queue, a damaged queued file is never served, and the queue is emptied at the archive's end")
    func prefetchQueue() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo", "LIFEBOAT_LOG_LEVEL": "info"])
        try await withPostgresCluster { cluster in
            let segments = try await Self.archive(cluster, cli, count: 5)
            let queue = root + "/queue"
            let fetch = { (name: String) in
                try await cli.run(["wal-fetch", name, root + "/dest-" + name, "--pgdata", cluster.dataDirectory, "--prefetch", "3", "--queue-dir", queue])
            }
            let first = try await fetch(segments[0].name)
            #expect(first.status == 0, "\(first.output)")
            let queued = Set(try FileManager.default.contentsOfDirectory(atPath: queue))
            #expect(queued == Set(segments[1...3].flatMap { [$0.name, $0.name + ".json"] }))

            let second = try await fetch(segments[1].name)
            #expect(second.status == 0 && second.output.contains("from the prefetch queue"), "\(second.output)")
            #expect(try WALFixture.sha256(file: root + "/dest-" + segments[1].name) == segments[1].sha256)

            // Damage the queued copy of the third: it must come from the archive instead.
            let queuedThird = queue + "/" + segments[2].name
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: queuedThird)))
            bytes[5000] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: queuedThird))
            let third = try await fetch(segments[2].name)
            #expect(third.status == 0 && !third.output.contains("from the prefetch queue"), "\(third.output)")
            #expect(try WALFixture.sha256(file: root + "/dest-" + segments[2].name) == segments[2].sha256)

            for segment in segments[3...] {
                let result = try await fetch(segment.name)
                #expect(result.status == 0, "\(result.output)")
                #expect(try WALFixture.sha256(file: root + "/dest-" + segment.name) == segment.sha256)
            }
            let end = try await fetch(try #require(WALFileName(segments[4].name)).next.description)
            #expect(end.status == 1, "\(end.output)")
            #expect(!FileManager.default.fileExists(atPath: queue), "the queue is left behind: \((try? FileManager.default.contentsOfDirectory(atPath: queue)) ?? [])")
        }
    }
}
