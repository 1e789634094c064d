import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("kill -9 of the worker never leaves a backup that looks complete")
struct KillTests {
    /// Files under `root` (relative path → size).
    static func files(in root: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: root) ?? FileManager.default.enumerator(atPath: "/nonexistent")! {
            let attributes = try? FileManager.default.attributesOfItem(atPath: root + "/" + path)
            if attributes?[.type] as? FileAttributeType == .typeRegular { result[path] = (attributes?[.size] as? Int) ?? 0 }
        }
        return result
    }

    @Test("given backups killed with SIGKILL at several moments, then list shows none, restore latest picks none, prune clears the leftovers, and the next backup succeeds")
    func killNineAtAnyMoment() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 2000)
                try await SampleData.addBulk(cluster, database: "app", megabytes: 24)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                // Kill at the start, as soon as data flows, in the middle of the dump, and after the dump object is
                // complete (while roles are dumped and the manifest is due).
                let moments: [(String, @Sendable ([String: Int]) -> Bool)] = [
                    ("at start", { _ in true }),
                    ("first bytes", { files in files.keys.contains { $0.contains("lifeboat-partial") } }),
                    ("mid-dump", { files in files.contains { $0.key.contains("lifeboat-partial") && $0.value > 8 << 20 } }),
                    ("dump complete", { files in files.keys.contains { $0.hasSuffix(".pgdump") } }),
                ]
                for (name, reached) in moments {
                    // The last moment leaves only the globals and the manifest to do: on a loaded machine the backup can
                    // win the race against the kill. Such a complete backup is removed and the moment tried again.
                    var status: Int32 = 0
                    for _ in 0..<3 {
                        let before = Set(Self.files(in: dir + "/repo").keys)
                        let child = try cli.start(["backup", "-d", "app", "--compression", "none", "-q"])
                        var seen = false
                        for _ in 0..<3000 where !seen {
                            seen = reached(Self.files(in: dir + "/repo").filter { !before.contains($0.key) })
                            if !seen { try await Task.sleep(for: .milliseconds(5)) }
                        }
                        kill(child.pid, SIGKILL)
                        status = try await child.waitForExit().0
                        #expect(seen, "never observed the moment \(name)")
                        guard status == 0 else { break }
                        let folders = Set(Self.files(in: dir + "/repo").keys.filter { !before.contains($0) }.map { $0.split(separator: "/").prefix(2).joined(separator: "/") })
                        for folder in folders { try FileManager.default.removeItem(atPath: dir + "/repo/" + folder) }
                    }
                    #expect(status == 128 + SIGKILL, "the backup finished before the kill \(name) three times; make the database larger")
                }
                #expect(!Self.files(in: dir + "/repo").isEmpty, "the kills left nothing, so the garbage path was not exercised")
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
