import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("lifeboat check: what the controller's check CronJob reports")
struct CheckCommandTests {
    @Test("given an empty repository and then one backup, when checked, then the newest backup time and freshness are reported and WAL modes other than disabled are not healthy")
    func checkReportsFreshness() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 50)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo", "LIFEBOAT_RESULT_FILE": dir + "/result"]) { $1 })
                let empty = try await cli.run(["check", "--json"])
                #expect(empty.status == 0, "\(empty.output)")
                #expect(empty.stdout.contains("no good logical backup"))
                #expect(try await cli.run(["backup", "-d", "app", "-q"]).status == 0)
                let fresh = try await cli.run(["check", "--freshness", "1h"])
                #expect(fresh.stdout.contains("fresh (threshold 1h)"), "\(fresh.output)")

                let json = try await cli.run(["check", "--json", "--wal-mode", "stream"])
                let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/result"))) as? [String: Any]
                let check = result?["check"] as? [String: Any]
                #expect(result?["command"] as? String == "check")
                #expect((check?["lastLogicalBackupAt"] as? String)?.hasPrefix("20") == true)
                #expect(check?["walHealthy"] as? Bool == false)
                #expect(json.stdout.contains("no WAL archive in the repository yet"), "\(json.output)")
                let bad = try await cli.run(["check", "--freshness", "soon"])
                #expect(bad.status == 64)
            }
        }
    }
}
