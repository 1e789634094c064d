import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("physical retention against a real repository", .serialized)
struct PhysicalRetentionTests {
    @Test("given three base backups with archived WAL between them, when pruned with keep-last 2, then the oldest backup and the WAL before the next one's start go, every needed file stays, and dry run shows each decision first")
    func pruneBaseBackupsAndWAL() async throws {
        try await ArchivingCluster.with { fixture in
            try await fixture.switchAndWaitArchived()
            var ids: [String] = []
            for _ in 0..<3 {
                let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "60s"])
                #expect(run.status == 0, "\(run.output)")
                try await fixture.switchAndWaitArchived()
                try await fixture.switchAndWaitArchived()
                ids = try await fixture.repository.backups().map(\.id)
            }
            let manifests = try await fixture.repository.backups()
            #expect(manifests.count == 3)
            let identity = try await fixture.identity()
            let archive = WALArchive(repository: fixture.repository, identity: identity)
            let before = try await archive.list().map(\.name)
            let second = try #require(manifests[1].physical)
            let secondStart = try #require(WALFileName(second.startWAL))

            // A verified base backup keeps its record under backups/<id>/, which is not garbage.
            let verify = try await fixture.cli.run(["verify", ids[2], "-q"])
            #expect(verify.status == 0, "\(verify.output)")
            #expect(FileManager.default.fileExists(atPath: fixture.repositoryPath + "/backups/\(ids[2])/verification.json"))

            let dry = try await fixture.cli.run(["prune", "--keep-last", "2", "--dry-run", "--garbage-grace", "1s"])
            #expect(dry.status == 0, "\(dry.output)")
            #expect(dry.stdout.contains("DELETE \(ids[0])"), "\(dry.stdout)")
            #expect(dry.stdout.contains("before the start \(second.startLSN) of base backup \(ids[1])"), "\(dry.stdout)")
            #expect(dry.stdout.contains("keep   WAL \(second.startWAL)"), "\(dry.stdout)")
            #expect(try await archive.list().map(\.name) == before, "a dry run changes nothing")
            #expect(try await fixture.repository.backups().count == 3)

            #expect(!dry.stdout.contains("backups/\(ids[2])/"), "a verification record is not an interrupted backup: \(dry.stdout)")

            let prune = try await fixture.cli.run(["prune", "--keep-last", "2"])
            #expect(prune.status == 0, "\(prune.output)")
            #expect(try await fixture.repository.backups().map(\.id) == Array(ids.suffix(2)))
            #expect(!FileManager.default.fileExists(atPath: fixture.repositoryPath + "/" + Repository.folder(of: manifests[0])))
            let after = try await archive.list().map(\.name)
            let segments = after.filter { $0.kind == .segment }
            #expect(segments.first == secondStart, "WAL now starts at the oldest kept backup's start segment: \(segments.first.map(\.description) ?? "none")")
            #expect(before.filter { $0.kind == .segment && $0 >= secondStart } == segments, "every segment from there on is kept")
            #expect(after.count < before.count)
            // The kept backups still extract.
            let extracted = try await BaseBackupExtractor(repository: fixture.repository).extract(manifests[1], into: fixture.folder + "/restored", keyring: nil)
            #expect(extracted.verifiedWithPostgresManifest)
        }
    }
}
