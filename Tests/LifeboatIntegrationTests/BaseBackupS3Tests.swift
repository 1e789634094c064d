import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("base backups in S3 (moto_server)", .serialized)
struct BaseBackupS3Tests {
    @Test("given a server archiving into S3 with wal-push, when a base backup is taken into the same bucket, then it is published once its WAL is there, listed with its LSN range, verifiable, and prune plans its WAL")
    func baseBackupInS3() async throws {
        try await withMotoServer(buckets: ["backups"]) { moto in
            let repo = "s3://backups/prod/physical"
            // The server's archive_command reaches moto with its (test-only) credentials in its own environment.
            let command = "'env AWS_ACCESS_KEY_ID=\(MotoServer.accessKeyId) AWS_SECRET_ACCESS_KEY=\(MotoServer.secretAccessKey) LIFEBOAT_S3_ENDPOINT=\(moto.endpoint.absoluteString) \(LifeboatCLI.executable) wal-push --repo \(repo) %p'"
            try await ArchivingCluster.with(archiveCommand: command) { fixture in
                try await SampleData.load(fixture.cluster, database: "app", rows: 300)
                let cli = LifeboatCLI(environment: fixture.cluster.clientEnvironment.merging([
                    "LIFEBOAT_REPO": repo, "LIFEBOAT_S3_ENDPOINT": moto.endpoint.absoluteString,
                    "AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
                ]) { $1 })
                try await fixture.cluster.execute(["SELECT pg_switch_wal()"])
                for _ in 0..<2 {
                    let run = try await cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "60s", "--json"])
                    #expect(run.status == 0, "\(run.output)")
                    try await fixture.cluster.execute(["INSERT INTO orders (customer, amount) VALUES (1, 2)", "SELECT pg_switch_wal()"], database: "app")
                }
                let json = try await cli.run(["list", "--json"])
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "\(json.output)")
                #expect(rows.count == 2)
                #expect(rows.allSatisfy { $0["kind"] as? String == "base" && $0["timeline"] as? Int == 1 })
                let first = try #require(rows.first?["id"] as? String)
                let second = try #require(rows.last?["id"] as? String)
                let secondStart = try #require(rows.last?["startLSN"] as? String)
                let verify = try await cli.run(["verify", second, "-q"])
                #expect(verify.status == 0, "\(verify.output)")
                let dry = try await cli.run(["prune", "--keep-last", "1", "--dry-run"])
                #expect(dry.status == 0, "\(dry.output)")
                #expect(dry.stdout.contains("DELETE \(first)"), "\(dry.stdout)")
                #expect(dry.stdout.contains("before the start \(secondStart) of base backup \(second)"), "\(dry.stdout)")
                let prune = try await cli.run(["prune", "--keep-last", "1"])
                #expect(prune.status == 0, "\(prune.output)")
                let after = try await cli.run(["list", "--json"])
                let remaining = try #require(try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])
                #expect(remaining.map { $0["id"] as? String } == [second])
                let again = try await cli.run(["prune", "--keep-last", "1", "--dry-run"])
                #expect(!again.stdout.contains("before the start"), "the WAL before the kept backup is gone: \(again.stdout)")
            }
        }
    }
}
