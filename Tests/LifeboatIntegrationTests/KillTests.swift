import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("kill -9 of the worker never leaves a backup that looks complete")
struct KillTests {
    @Test("given backups killed with SIGKILL at several moments, then list shows none, restore latest picks none, prune clears the leftovers, and the next backup succeeds")
    func killNineAtAnyMoment() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 2000)
                try await SampleData.addBulk(cluster, database: "app", megabytes: 24)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                for delay in [0.05, 0.3, 0.8, 1.5] {
                    let child = try cli.start(["backup", "-d", "app", "--compression", "none", "-q"])
                    try await Task.sleep(for: .seconds(delay))
                    kill(child.pid, SIGKILL)
                    let (status, _) = try await child.waitForExit()
                    #expect(status == 128 + SIGKILL, "the backup finished before the kill at \(delay)s; make the database larger")
                }
                let list = try await cli.run(["list", "--json"])
                let listed = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [Any]
                #expect(listed?.isEmpty == true, "\(list.output)")
                let restore = try await cli.run(["restore", "-d", "app", "--to", "copy"])
                #expect(restore.status == 2)
                #expect(restore.stderr.contains("there is no logical backup"))

                // Leftovers are garbage: kept while younger than the grace period, cleared after it.
                let young = try await cli.run(["prune", "--keep-last", "1", "--dry-run"])
                #expect(young.stdout.contains("may still be running") || young.stdout.contains("upload in progress"), "\(young.output)")
                try await Task.sleep(for: .seconds(2))
                let prune = try await cli.run(["prune", "--keep-last", "1", "--garbage-grace", "1s"])
                #expect(prune.status == 0, "\(prune.output)")
                let remaining = FileManager.default.enumerator(atPath: dir + "/repo")?.allObjects.compactMap { $0 as? String }.filter { !$0.isEmpty && $0 != "backups" } ?? []
                #expect(remaining.isEmpty, "left behind: \(remaining); prune said: \(prune.output)")

                let backup = try await cli.run(["backup", "-d", "app", "-q"])
                #expect(backup.status == 0, "\(backup.output)")
                let after = try JSONSerialization.jsonObject(with: Data(try await cli.run(["list", "--json"]).stdout.utf8)) as? [[String: Any]]
                #expect(after?.count == 1)
            }
        }
    }
}
