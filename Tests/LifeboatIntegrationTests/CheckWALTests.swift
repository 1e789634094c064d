import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("lifeboat check with WAL: recovery window, gaps and the archiver's health from a real server")
struct CheckWALTests {
    @Test("given a cluster archiving with wal-push and a base backup, when checked, then the window ends at the last commit and WAL is healthy; when a segment goes missing or archive_command fails, then WAL is not healthy and the check says why")
    func windowGapsAndArchiver() async throws {
        let repository = try PITR.sharedFolder("lifeboat-check-repo")
        defer { try? FileManager.default.removeItem(atPath: repository) }
        try await withPostgresCluster(PITR.sourceOptions(repository: repository)) { cluster in
            let cli = PITR.cli(cluster, repository: repository)
            try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)"])
            try await PITR.switchAndWaitArchived(cluster)
            try #require(try await cli.run(["backup", "--kind", "base", "-q"]).status == 0)
            let first = try await PITR.marker(1, in: cluster)
            let firstSegment = try await PITR.switchAndWaitArchived(cluster)
            let last = try await PITR.marker(2, in: cluster)
            let lastSegment = try await PITR.switchAndWaitArchived(cluster)
            _ = first

            let healthy = try await Self.check(cli)
            #expect(healthy.check["walHealthy"] as? Bool == true, "\(healthy.output)")
            #expect(healthy.check["recoverableTo"] as? String == Timestamps.format(last.commitTime.date), "\(healthy.output)")
            #expect((healthy.check["recoverableFrom"] as? String)?.hasPrefix("20") == true)
            #expect(healthy.check["lastArchivedWAL"] as? String == lastSegment)
            #expect(healthy.check["archiverFailedCount"] as? Int == 0)
            #expect((healthy.check["walGaps"] as? [String])?.isEmpty == true)
            #expect((healthy.check["lastBaseBackupAt"] as? String) != nil)
            #expect(healthy.output.contains("newest base backup"), "\(healthy.output)")

            // A segment missing in the middle: a gap on the recovery path.
            let wal = try PITRRefusalTests.walFolder(repository)
            try FileManager.default.moveItem(atPath: wal + "/" + firstSegment, toPath: repository + "/aside")
            let gap = try await Self.check(cli)
            #expect(gap.check["walHealthy"] as? Bool == false, "\(gap.output)")
            #expect((gap.check["walGaps"] as? [String]) == ["\(firstSegment) (1 segment)"], "\(gap.output)")
            try FileManager.default.moveItem(atPath: repository + "/aside", toPath: wal + "/" + firstSegment)

            // archive_command failing: the server keeps the segment and reports the failure.
            try await cluster.execute(["ALTER SYSTEM SET archive_command = 'false'", "SELECT pg_reload_conf()"])
            try await Task.sleep(for: .milliseconds(300))
            // Something must be written, or pg_switch_wal has no segment to close.
            _ = try await PITR.marker(3, in: cluster)
            _ = try await cluster.query("SELECT pg_switch_wal()")
            var failed = false
            for _ in 0..<100 where !failed {
                failed = (try await cluster.query("SELECT failed_count FROM pg_stat_archiver")[0][0]).flatMap { Int($0) }.map { $0 > 0 } ?? false
                if !failed { try await Task.sleep(for: .milliseconds(100)) }
            }
            try #require(failed, "archive_command = false never failed")
            let failing = try await Self.check(cli)
            #expect(failing.check["walHealthy"] as? Bool == false, "\(failing.output)")
            #expect((failing.check["message"] as? String)?.contains("archive_command is failing") == true, "\(failing.output)")
            #expect((failing.check["archiverFailedCount"] as? Int ?? 0) > 0)
        }
    }

    /// Runs `lifeboat check --json --wal-mode archiveCommand` and returns its `check` object.
    static func check(_ cli: LifeboatCLI) async throws -> (check: [String: Any], output: String) {
        let result = try await cli.run(["check", "--json", "--wal-mode", "archiveCommand"])
        #expect(result.status == 0, "\(result.output)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return ((json?["check"] as? [String: Any]) ?? [:], result.output)
    }
}
