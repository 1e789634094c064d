import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("prune against a real repository")
struct PruneIntegrationTests {
    @Test("given five backups of one database, when pruned with keep-last 2, then the three oldest go, the two newest stay and restore latest still works")
    func pruneKeepsNewest() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 200)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                for _ in 0..<5 { #expect(try await cli.run(["backup", "-d", "app", "-q", "--no-globals"]).status == 0) }
                let repository = Repository(storage: try FileStorage(root: dir + "/repo"))
                let ids = try await repository.backups().map(\.id)
                #expect(ids.count == 5)

                let dry = try await cli.run(["prune", "--keep-last", "2", "--dry-run"])
                #expect(dry.status == 0)
                #expect(dry.stdout.contains("dry run: would delete 3 backups, kept 2"), "\(dry.stdout)")
                #expect(try await repository.backups().count == 5)

                let noRules = try await cli.run(["prune"])
                #expect(noRules.status == 2)
                #expect(noRules.stderr.contains("no retention rule"))

                let resultFile = dir + "/termination-log"
                let prune = try await cli.run(["backup", "-d", "app", "-q", "--no-globals", "--prune", "--keep-last", "2", "--result-file", resultFile])
                #expect(prune.status == 0, "\(prune.output)")
                #expect(prune.stdout.contains("prune: 4 deleted, 2 kept"), "\(prune.stdout)")
                // The short result a Kubernetes Job leaves in its termination message: backup and prune reported apart.
                let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultFile))) as? [String: Any]
                #expect(result?["ok"] as? Bool == true)
                #expect(result?["command"] as? String == "backup")
                #expect((result?["backupId"] as? String)?.contains("-logical-") == true)
                #expect((result?["prune"] as? [String: Any])?["deleted"] as? Int == 4)
                #expect(try Data(contentsOf: URL(fileURLWithPath: resultFile)).count <= 4096)
                let remaining = try await repository.backups().map(\.id)
                #expect(remaining.count == 2)
                #expect(remaining.first == ids.last)
                #expect(FileManager.default.fileExists(atPath: "\(dir)/repo/backups/\(ids[0])") == false)
                #expect(try await cli.run(["restore", "-d", "app", "--to", "copy"]).status == 0)
            }
        }
    }

    @Test("given a repository whose prune cannot run (an unreadable manifest), when backup --prune runs, then the backup is published and reported good, the prune failure apart, exit 4")
    func failedPruneNeverFailsTheBackup() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 100)
                let garbage = dir + "/repo/backups/19990101T000000Z-logical-badbad"
                try FileManager.default.createDirectory(atPath: garbage, withIntermediateDirectories: true)
                try "{ not a manifest".write(toFile: garbage + "/manifest.json", atomically: true, encoding: .utf8)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let resultFile = dir + "/termination-log"
                let run = try await cli.run(["backup", "-d", "app", "-q", "--prune", "--keep-last", "1", "--result-file", resultFile])
                #expect(run.status == 4, "\(run.output)")
                #expect(run.stdout.contains("prune FAILED"), "\(run.stdout)")
                #expect(run.stdout.contains("backup 20"), "the backup itself is reported: \(run.stdout)")
                let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultFile))) as? [String: Any]
                #expect(result?["ok"] as? Bool == true)
                let prune = result?["prune"] as? [String: Any]
                #expect(prune?["ok"] as? Bool == false)
                #expect((prune?["error"] as? String)?.contains("not a valid backup manifest") == true)
                // The new backup was published before the prune ran.
                let published = try FileManager.default.contentsOfDirectory(atPath: dir + "/repo/backups").filter { $0 != "19990101T000000Z-logical-badbad" }
                #expect(published.count == 1)
                #expect(FileManager.default.fileExists(atPath: "\(dir)/repo/backups/\(published[0])/manifest.json"))
            }
        }
    }
}
