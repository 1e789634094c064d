import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("base backups: bad input and faults", .serialized)
struct BaseBackupFailureTests {
    @Test("given a server that does not archive, when a base backup is taken, then it fails after --wal-timeout naming the missing segment and the archiving to check, and nothing is published or left behind")
    func walNeverArrives() async throws {
        try await ArchivingCluster.with(archiving: false) { fixture in
            let resultFile = fixture.folder + "/result.json"
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "2s", "--result-file", resultFile])
            #expect(run.status == 1, "\(run.output)")
            #expect(run.stderr.contains("did not reach"), "\(run.stderr)")
            #expect(run.stderr.contains("archive_command"), "\(run.stderr)")
            #expect(run.stderr.range(of: "00000001[0-9A-F]{16}", options: .regularExpression) != nil, "the missing segment is named: \(run.stderr)")
            #expect(try await fixture.repository.backups().isEmpty)
            let leftovers = try await fixture.repository.storage.list(prefix: Repository.clustersFolder).filter { Repository.isBaseBackupObject($0.path) }
            #expect(leftovers.isEmpty, "\(leftovers.map(\.path))")
            let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultFile))) as? [String: Any]
            #expect(result?["ok"] as? Bool == false)
            #expect(result?["kind"] as? String == "base")
        }
    }

    @Test("given archiving that always fails, when a base backup is taken, then it does not hang on the server's wait for archiving: it fails after --wal-timeout with what pg_stat_archiver says, and leaves nothing behind")
    func brokenArchivingDoesNotHang() async throws {
        try await ArchivingCluster.with(archiveCommand: "'false'") { fixture in
            let started = Date()
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "3s"])
            #expect(run.status == 1, "\(run.output)")
            #expect(Date().timeIntervalSince(started) < 60, "the backup gave up in time")
            #expect(run.stderr.contains("waited more than 3s"), "\(run.stderr)")
            #expect(run.stderr.contains("pg_stat_archiver"), "\(run.stderr)")
            #expect(run.stderr.contains("archive_command"), "\(run.stderr)")
            #expect(try await fixture.repository.backups().isEmpty)
            let leftovers = try await fixture.repository.storage.list(prefix: Repository.clustersFolder).filter { Repository.isBaseBackupObject($0.path) }
            #expect(leftovers.isEmpty, "\(leftovers.map(\.path))")
        }
    }

    @Test("given a repository that belongs to another cluster, when a base backup is taken, then it is refused naming both clusters before any byte is written")
    func otherClusterIsRefused() async throws {
        try await ArchivingCluster.with(archiving: false) { fixture in
            let other = ClusterIdentity(systemIdentifier: "7000000000000000001", majorVersion: 15)
            try await ClusterClaim.ensure(other, in: fixture.repository)
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "5s"])
            #expect(run.status == 1, "\(run.output)")
            #expect(run.stderr.contains("belongs to cluster system 7000000000000000001"), "\(run.stderr)")
            let identity = try await fixture.identity()
            #expect(run.stderr.contains(identity.systemIdentifier), "\(run.stderr)")
            let written = try await fixture.repository.storage.list(prefix: Repository.clustersFolder).map(\.path)
            #expect(written == [ClusterClaim.path], "\(written)")
        }
    }

    @Test("given a server with a second tablespace, when a base backup is taken, then it is refused listing the tablespace")
    func extraTablespaceIsRefused() async throws {
        try await ArchivingCluster.with(archiving: false) { fixture in
            let location = fixture.folder + "/space"
            try FileManager.default.createDirectory(atPath: location, withIntermediateDirectories: true)
            try fixture.cluster.handToRunUser(location)
            try await fixture.cluster.execute(["CREATE TABLESPACE fast_disk LOCATION '\(location)'"])
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q"])
            #expect(run.status == 2, "\(run.output)")
            #expect(run.stderr.contains("fast_disk (\(location))"), "\(run.stderr)")
            #expect(run.stderr.contains("one tablespace"), "\(run.stderr)")
        }
    }

    @Test("given --kind base with a database, when parsed, then it is refused: a base backup copies the whole cluster")
    func databaseWithBaseIsRefused() async throws {
        let run = try await LifeboatCLI(environment: ["LIFEBOAT_REPO": "file:///nonexistent"]).run(["backup", "--kind", "base", "-d", "app"])
        #expect(run.status == 64, "\(run.output)")
        #expect(run.stderr.contains("whole cluster"), "\(run.stderr)")
    }
}

@Suite("base backups: killed midway", .serialized)
struct BaseBackupKillTests {
    @Test("given a base backup killed with SIGKILL while streaming, when the repository is listed, then no base backup appears, and prune clears its objects once past the grace period")
    func killedBackupIsNeverListed() async throws {
        try await ArchivingCluster.with { fixture in
            try await SampleData.load(fixture.cluster, database: "app", rows: 100)
            try await SampleData.addBulk(fixture.cluster, database: "app", megabytes: 60)
            try await fixture.switchAndWaitArchived()
            let child = try fixture.cli.start(["backup", "--kind", "base", "-q", "--checkpoint", "fast"])
            // Kill once some of the tar is stored (a partial object exists), well before the end.
            let deadline = Date().addingTimeInterval(60)
            var sawPartial = false
            while Date() < deadline, !sawPartial {
                sawPartial = Self.files(in: fixture.repositoryPath).contains { $0.contains("/base/") && $0.contains(".lifeboat-partial-") }
                if !sawPartial { try await Task.sleep(nanoseconds: 20_000_000) }
            }
            kill(child.pid, SIGKILL)
            _ = try await child.waitForExit()
            #expect(sawPartial, "the kill did not land while streaming")
            #expect(try await fixture.repository.backups().isEmpty)
            let list = try await fixture.cli.run(["list"])
            #expect(list.stdout.contains("no backups"), "\(list.stdout)")
            try await Task.sleep(nanoseconds: 2_100_000_000)
            let prune = try await fixture.cli.run(["prune", "--keep-last", "1", "--garbage-grace", "1s"])
            #expect(prune.status == 0, "\(prune.output)")
            #expect(!Self.files(in: fixture.repositoryPath).contains { $0.contains("/base/") }, "\(Self.files(in: fixture.repositoryPath))")
        }
    }

    /// Every file under `root`, relative paths.
    static func files(in root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
    }
}
