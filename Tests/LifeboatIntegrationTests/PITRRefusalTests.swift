import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Point-in-time recovery refusals and WAL faults with real PostgreSQL 15")
struct PITRRefusalTests {
    @Test("given an archive with a base backup and one marker per segment, when targets outside the window, a non-empty directory, a corrupted, an absent and a missing segment are met, then each is refused with the window or stops recovery, and an absent last segment ends it")
    func refusalsAndFaults() async throws {
        let repository = try PITR.sharedFolder("lifeboat-pitr-repo")
        let restores = try PITR.sharedFolder("lifeboat-pitr-restores")
        defer {
            try? FileManager.default.removeItem(atPath: repository)
            try? FileManager.default.removeItem(atPath: restores)
        }
        try await withPostgresCluster(PITR.sourceOptions(repository: repository)) { cluster in
            let cli = PITR.cli(cluster, repository: repository)
            try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)"])
            try await PITR.switchAndWaitArchived(cluster)
            let beforeBackup = TargetTime(Date())
            try await Task.sleep(for: .milliseconds(50))
            let backup = try await cli.run(["backup", "--kind", "base", "-q"])
            try #require(backup.status == 0, "base backup failed: \(backup.output)")
            var segments: [String] = []
            var markers: [PITR.Marker] = []
            for id in 1...3 {
                markers.append(try await PITR.marker(id, in: cluster))
                segments.append(try await PITR.switchAndWaitArchived(cluster))
            }
            let walFolder = try Self.walFolder(repository)
            func restore(_ name: String, _ arguments: [String]) async throws -> LifeboatCLI.Result {
                try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", restores + "/" + name, "--no-archive"] + arguments)
            }
            func expectRefused(_ result: LifeboatCLI.Result, _ reason: String, _ name: String) {
                #expect(result.status == 2, "\(name): \(result.output)")
                #expect(result.stderr.contains(reason), "\(name): \(result.output)")
                #expect(result.stderr.contains("The archive allows: recoverable on timeline 1 from"), "\(name): \(result.output)")
                #expect(!FileManager.default.fileExists(atPath: restores + "/" + name), "\(name): a refused restore must not touch the directory")
            }

            // Targets outside the window, refused before anything is written.
            let resultFile = restores + "/result.json"
            let before = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", restores + "/before", "--target-time", beforeBackup.postgresText],
                                           extraEnvironment: ["LIFEBOAT_RESULT_FILE": resultFile])
            expectRefused(before, "before the first recoverable point", "before")
            let failure = try WorkerResultFile.read(resultFile)
            #expect(failure?["ok"] as? Bool == false && failure?["command"] as? String == "restore", "\(String(describing: failure))")
            #expect(((failure?["error"] as? [String: Any])?["message"] as? String)?.contains("before the first recoverable point") == true)
            let afterEnd = TargetTime(microseconds: markers[2].commitTime.microseconds + 3_600_000_000)
            expectRefused(try await restore("after", ["--target-time", afterEnd.postgresText]), "past the end of the archive", "after")
            expectRefused(try await restore("lsn-after", ["--target-lsn", "FF/0"]), "past the end of the archive", "lsn-after")
            expectRefused(try await restore("xid", ["--target-xid", "99999999"]), "has no commit or abort in the archived WAL", "xid")
            expectRefused(try await restore("name", ["--target-name", "never-made"]), "is not in the archived WAL", "name")

            // A data directory that is not empty.
            try FileManager.default.createDirectory(atPath: restores + "/busy", withIntermediateDirectories: true)
            try Data("15\n".utf8).write(to: URL(fileURLWithPath: restores + "/busy/PG_VERSION"))
            let busy = try await restore("busy", ["--target", "latest"])
            #expect(busy.status == 2 && busy.stderr.contains("not empty (PG_VERSION)"), "\(busy.output)")

            // A corrupted segment (the one holding marker 2) stops recovery: wal-fetch fails with ≥ 126 and the server
            // never promotes, so nothing past the damage is silently lost.
            let corruptPath = walFolder + "/" + segments[1]
            let original = try Data(contentsOf: URL(fileURLWithPath: corruptPath))
            var damaged = original
            damaged[damaged.count - 10] ^= 0xFF
            try damaged.write(to: URL(fileURLWithPath: corruptPath))
            let corrupted = try await restore("corrupted", ["--target", "latest"])
            #expect(corrupted.status == 0, "\(corrupted.output)")
            let stopped = try RestoredServer(dataDirectory: restores + "/corrupted")
            _ = try await stopped.start()
            #expect(try await stopped.waitForPromotion(seconds: 30) == false, "recovery over a damaged segment must not promote: \(stopped.log.suffix(3000))")
            #expect(stopped.log.contains(segments[1]), "\(stopped.log.suffix(3000))")
            #expect(!stopped.log.contains("selected new timeline ID"), "\(stopped.log.suffix(3000))")
            await stopped.stopAndRemove()
            try original.write(to: URL(fileURLWithPath: corruptPath))

            // An absent last segment is the end of the archive: recovery ends there and promotes without marker 3.
            let lastPath = walFolder + "/" + segments[2]
            try FileManager.default.moveItem(atPath: lastPath, toPath: restores + "/kept-segment")
            let shorter = try await restore("absent", ["--target", "latest"])
            #expect(shorter.status == 0, "\(shorter.output)")
            let ended = try RestoredServer(dataDirectory: restores + "/absent")
            do {
                #expect(try await ended.start(), "\(ended.log.suffix(3000))")
                #expect(try await ended.waitForPromotion(), "\(ended.log.suffix(3000))")
                #expect(try await ended.markers() == [1, 2])
            } catch {
                await ended.stopAndRemove()
                throw error
            }
            await ended.stopAndRemove()
            try FileManager.default.moveItem(atPath: restores + "/kept-segment", toPath: lastPath)

            // A missing segment in the middle is a gap: targets beyond it are refused, the window and gap named.
            try FileManager.default.removeItem(atPath: corruptPath)
            let gapLatest = try await restore("gap-latest", ["--target", "latest"])
            expectRefused(gapLatest, "would stop at missing segment \(segments[1])", "gap-latest")
            let gapTime = try await restore("gap-time", ["--target-time", markers[2].commitTime.postgresText])
            expectRefused(gapTime, "beyond missing WAL segment \(segments[1])", "gap-time")
            #expect(gapTime.stderr.contains("WAL missing: \(segments[1]) (1 segment)"), "\(gapTime.output)")
            // Before the gap is still fine (up to, not including, marker 1's commit: the last one before the gap).
            let beforeGap = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", restores + "/before-gap", "--plan-only",
                                               "--target-time", markers[0].commitTime.postgresText, "--exclusive"])
            #expect(beforeGap.status == 0, "\(beforeGap.output)")
            #expect(beforeGap.stdout.contains("plan only"), "\(beforeGap.output)")
            #expect(!FileManager.default.fileExists(atPath: restores + "/before-gap"), "--plan-only must not touch the directory")
            let planned = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", restores + "/before-gap", "--plan-only", "--json",
                                             "--target-lsn", markers[0].lsnAfter])
            let plan = try JSONSerialization.jsonObject(with: Data(planned.stdout.utf8)) as? [String: Any]
            let recovery = plan?["recovery"] as? [String: Any]
            #expect(plan?["ok"] as? Bool == true && plan?["kind"] as? String == "base", "\(planned.output)")
            #expect(recovery?["expectedStopLSN"] as? String == markers[0].lsnAfter, "\(planned.output)")
            #expect(recovery?["baseBackupId"] as? String == plan?["backupId"] as? String)
        }
    }

    /// Reads the JSON result a run wrote with LIFEBOAT_RESULT_FILE.
    enum WorkerResultFile {
        static func read(_ path: String) throws -> [String: Any]? {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        }
    }

    /// The folder of timeline 1's archived WAL in a directory repository.
    static func walFolder(_ repository: String) throws -> String {
        let clusters = try FileManager.default.contentsOfDirectory(atPath: repository + "/clusters").filter { !$0.hasSuffix(".json") }
        let cluster = try #require(clusters.first, "no cluster folder in \(repository)/clusters")
        return repository + "/clusters/" + cluster + "/00000001/wal"
    }
}
