import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("wal-push --async: a background pusher drains the ready files, archive_command only waits for acknowledgements")
struct WALPushAsyncTests {
    /// Makes `count` ready segments with archiving failing, then archives through `wal-push --async` from now on.
    static func backlog(_ cluster: LocalPostgresCluster, count: Int, repository: String) async throws -> [(name: String, sha256: String)] {
        var segments: [(name: String, sha256: String)] = []
        for _ in 0..<count { segments.append(try await WALFixture.switchSegment(cluster)) }
        for segment in segments {
            #expect(FileManager.default.fileExists(atPath: cluster.dataDirectory + "/pg_wal/archive_status/\(segment.name).ready"))
        }
        // Through lifeboat-wal, as the README advises: it answers acknowledged segments itself and hands the rest to lifeboat.
        let command = "LIFEBOAT_REPO=file://\(repository) LIFEBOAT_LOG_LEVEL=info \(LifeboatCLI.fastExecutable) wal-push --async --parallel 3 %p"
        try await cluster.execute(["ALTER SYSTEM SET archive_command = '\(command)'", "SELECT pg_reload_conf()"])
        return segments
    }

    /// A scratch folder (`root`, with `repository` inside) and a cluster whose archiving fails until `backlog` switches it
    /// to `wal-push --async`: its segments wait as `.ready`, as a backlog does.
    static func withFailingArchiver(_ body: (_ root: String, _ repository: String, _ cluster: LocalPostgresCluster) async throws -> Void) async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var options = LocalPostgresCluster.Options()
        options.settings = ["archive_mode": "on", "archive_command": "'/bin/false'", "wal_level": "replica"]
        try await withPostgresCluster(options) { cluster in try await body(root, root + "/repo", cluster) }
    }

    static func spool(_ cluster: LocalPostgresCluster) -> String { cluster.dataDirectory + "/pg_wal/lifeboat-push" }

    /// Process ids of background pushers working for `dataDirectory` (from /proc/*/cmdline).
    static func backgroundPushers(of dataDirectory: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return words.contains("wal-push") && words.contains("--background") && words.contains(dataDirectory) ? pid : nil
        }
    }

    @Test("given a backlog of ready segments, when archive_command becomes wal-push --async --parallel 3, then every segment is archived byte for byte, each call is answered from an acknowledgement, and the background pusher exits once idle leaving no acknowledgement behind")
    func drainsBacklog() async throws {
        try await Self.withFailingArchiver { root, repository, cluster in
            let segments = try await Self.backlog(cluster, count: 8, repository: repository)
            try await WALFixture.waitUntilArchived(cluster, segments.last!.name)
            #expect(try await WALFixture.archiverCounts(cluster).archived >= segments.count)
            let archived = WALFixture.archivedNames(repository: repository)
            let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
            for segment in segments {
                #expect(archived.contains(segment.name), "\(segment.name) not in \(archived)")
                let fetched = root + "/fetched-" + segment.name
                let result = try await cli.run(["wal-fetch", segment.name, fetched, "--pgdata", cluster.dataDirectory])
                #expect(result.status == 0, "\(result.output)")
                #expect(try WALFixture.sha256(file: fetched) == segment.sha256, "\(segment.name) differs from what PostgreSQL wrote")
            }
            // The background pusher did the work: the server log shows calls lifeboat-wal answered from its
            // acknowledgements (the first call, with none yet, went to lifeboat, which started the pusher).
            let log = cluster.serverLog()
            #expect(log.contains("lifeboat-wal: \(segments.last!.name) was already stored by the background pusher"), "\(log.suffix(3000))")
            let spool = Self.spool(cluster)
            var idle = false
            for _ in 0..<150 where !idle {
                idle = !ExclusiveFileLock.isHeld(spool + "/background.lock")
                if !idle { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(idle, "the background pusher should exit 5 s after its last push")
            let left = try FileManager.default.contentsOfDirectory(atPath: spool).filter { $0.hasSuffix(".ok") || $0.hasSuffix(".error") }
            #expect(left.isEmpty, "\(left)")
            #expect(try String(contentsOfFile: spool + "/background.log", encoding: .utf8).contains("archived \(segments[1].name)"))
        }
    }

    @Test("given the background pusher killed with SIGKILL while it stores a backlog, when PostgreSQL keeps calling, then a new one is started and every segment is archived byte for byte")
    func killedBackgroundPusher() async throws {
        try await Self.withFailingArchiver { root, repository, cluster in
            let segments = try await Self.backlog(cluster, count: 6, repository: repository)
            var killed = 0
            let deadline = Date().addingTimeInterval(20)
            while killed < 2, Date() < deadline {
                for pid in Self.backgroundPushers(of: cluster.dataDirectory) where kill(pid, SIGKILL) == 0 { killed += 1 }
                try await Task.sleep(for: .milliseconds(killed == 0 ? 5 : 150))
            }
            #expect(killed >= 1, "no background pusher was seen to kill")
            try await WALFixture.waitUntilArchived(cluster, segments.last!.name, seconds: 90)
            let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
            for segment in segments {
                let fetched = root + "/fetched-" + segment.name
                let result = try await cli.run(["wal-fetch", segment.name, fetched, "--pgdata", cluster.dataDirectory])
                #expect(result.status == 0, "\(segment.name): \(result.output)")
                #expect(try WALFixture.sha256(file: fetched) == segment.sha256, "\(segment.name) differs from what PostgreSQL wrote")
            }
        }
    }

    @Test("given the repository's WAL folder refuses writes, when segments are ready, then archive_command fails with the background pusher's reason and PostgreSQL keeps them; once writable again, every segment is archived without a gap")
    func failureReportedThenRecovered() async throws {
        try await Self.withFailingArchiver { root, repository, cluster in
            let first = try await Self.backlog(cluster, count: 1, repository: repository)
            try await WALFixture.waitUntilArchived(cluster, first[0].name)
            let identity = try ClusterIdentity.read(dataDirectory: cluster.dataDirectory)
            let walFolder = repository + "/clusters/\(identity.systemIdentifier)-pg\(identity.majorVersion)/00000001/wal"
            #expect(FileManager.default.fileExists(atPath: walFolder))
            // Read-only for its owner (the archive_command runs as the postgres user, never as root).
            chmod(walFolder, 0o555)
            var segments: [(name: String, sha256: String)] = []
            for _ in 0..<3 { segments.append(try await WALFixture.switchSegment(cluster)) }
            let deadline = Date().addingTimeInterval(30)
            while !cluster.serverLog().contains("the background push of \(segments[0].name) failed"), Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            let log = cluster.serverLog()
            #expect(log.contains("the background push of \(segments[0].name) failed"), "\(log.suffix(3000))")
            #expect(try await WALFixture.archiverCounts(cluster).failed > 0)
            for segment in segments {
                #expect(FileManager.default.fileExists(atPath: cluster.dataDirectory + "/pg_wal/archive_status/\(segment.name).ready"),
                        "PostgreSQL must keep \(segment.name) ready")
            }

            chmod(walFolder, 0o755)
            // A new ready segment wakes the archiver at once (it otherwise waits a minute after three failures).
            let next = try await WALFixture.switchSegment(cluster)
            try await WALFixture.waitUntilArchived(cluster, next.name, seconds: 90)
            let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
            for segment in first + segments + [next] {
                let fetched = root + "/fetched-" + segment.name
                let result = try await cli.run(["wal-fetch", segment.name, fetched, "--pgdata", cluster.dataDirectory])
                #expect(result.status == 0, "\(segment.name): \(result.output)")
                #expect(try WALFixture.sha256(file: fetched) == segment.sha256)
            }
        }
    }
}
