import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Point-in-time recovery with real PostgreSQL 15: every target type, and a second recovery along the promoted timeline")
struct PITRTargetsTests {
    /// One recovery and the markers it must end with.
    struct Case: Sendable {
        var name: String
        var arguments: [String]
        var markers: [Int]
        var doomedTablePresent: Bool
        /// Let `restore --start` start the server and wait for the promotion.
        var start = false
    }

    @Test("given a cluster archiving with wal-push, a base backup, markers in separate transactions, a restore point and a dropped table, when recovered to each target type, then exactly the right markers are present, and a second recovery follows the promoted server's new timeline")
    func everyTargetType() async throws {
        let repository = try PITR.sharedFolder("lifeboat-pitr-repo")
        let restores = try PITR.sharedFolder("lifeboat-pitr-restores")
        defer {
            try? FileManager.default.removeItem(atPath: repository)
            try? FileManager.default.removeItem(atPath: restores)
        }
        try await withPostgresCluster(PITR.sourceOptions(repository: repository)) { cluster in
            let cli = PITR.cli(cluster, repository: repository)
            try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)", "CREATE TABLE doomed (x int)", "INSERT INTO doomed VALUES (1)"])
            try await PITR.switchAndWaitArchived(cluster)
            let backup = try await cli.run(["backup", "--kind", "base", "-q"])
            try #require(backup.status == 0, "base backup failed: \(backup.output)")

            var m: [Int: PITR.Marker] = [:]
            for id in 1...3 { m[id] = try await PITR.marker(id, in: cluster) }
            try await cluster.execute(["SELECT pg_create_restore_point('after-3')"])
            for id in 4...5 { m[id] = try await PITR.marker(id, in: cluster) }
            try await cluster.execute(["DROP TABLE doomed"])
            m[6] = try await PITR.marker(6, in: cluster)
            try await PITR.switchAndWaitArchived(cluster)

            let t2 = m[2]!.commitTime
            let cases = [
                Case(name: "time-before", arguments: ["--target-time", TargetTime(microseconds: t2.microseconds - 1000).postgresText], markers: [1], doomedTablePresent: true),
                Case(name: "time-at-inclusive", arguments: ["--target-time", t2.postgresText], markers: [1, 2], doomedTablePresent: true),
                Case(name: "time-at-exclusive", arguments: ["--target-time", t2.postgresText, "--exclusive"], markers: [1], doomedTablePresent: true),
                Case(name: "time-after", arguments: ["--target-time", TargetTime(microseconds: t2.microseconds + 1).postgresText], markers: [1, 2], doomedTablePresent: true),
                Case(name: "lsn", arguments: ["--target-lsn", m[3]!.lsnAfter], markers: [1, 2, 3], doomedTablePresent: true),
                Case(name: "xid-inclusive", arguments: ["--target-xid", String(m[4]!.xid)], markers: [1, 2, 3, 4], doomedTablePresent: true),
                Case(name: "xid-exclusive", arguments: ["--target-xid", String(m[4]!.xid), "--exclusive"], markers: [1, 2, 3], doomedTablePresent: true),
                Case(name: "name", arguments: ["--target-name", "after-3"], markers: [1, 2, 3], doomedTablePresent: true, start: true),
                Case(name: "immediate", arguments: ["--target", "immediate"], markers: [], doomedTablePresent: true),
                Case(name: "latest", arguments: ["--target", "latest"], markers: [1, 2, 3, 4, 5, 6], doomedTablePresent: false),
            ]
            // Three recoveries at a time: each is a restore, a server start, WAL replay and a promotion.
            for batch in stride(from: 0, to: cases.count, by: 3).map({ Array(cases[$0..<min($0 + 3, cases.count)]) }) {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for recovery in batch {
                        group.addTask { try await Self.recover(recovery, cli: cli, into: restores + "/" + recovery.name) }
                    }
                    try await group.waitForAll()
                }
            }

            // A recovery whose server keeps archiving: it promotes to timeline 2, archives 00000002.history and new WAL.
            let promotedDirectory = restores + "/promoted"
            let restored = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", promotedDirectory, "--target", "latest"])
            try #require(restored.status == 0, "\(restored.output)")
            let promoted = try RestoredServer(dataDirectory: promotedDirectory)
            do {
                #expect(try await promoted.start(), "\(promoted.log)")
                #expect(try await promoted.waitForPromotion(), "\(promoted.log)")
                _ = try await promoted.query("INSERT INTO marker VALUES (100)")
                let closed = try await promoted.query("SELECT pg_walfile_name(pg_switch_wal())")[0][0]!
                #expect(closed.hasPrefix("00000002"))
                var archived = false
                for _ in 0..<300 where !archived {
                    let last = try await promoted.query("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")[0][0] ?? ""
                    archived = last >= closed
                    if !archived { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(archived, "the promoted server did not archive \(closed): \(promoted.log)")
            } catch {
                await promoted.stopAndRemove()
                throw error
            }
            await promoted.stopAndRemove()

            // The second recovery follows the history file from the base backup on timeline 1 to timeline 2.
            let check = try await cli.run(["check", "--json", "--no-server"])
            #expect(check.stdout.contains("recoverable on timeline 2"), "\(check.output)")
            try await Self.recover(Case(name: "second-timeline", arguments: ["--target", "latest"], markers: [1, 2, 3, 4, 5, 6, 100], doomedTablePresent: false),
                                   cli: cli, into: restores + "/second-timeline", expectTimeline: 3)
        }
    }

    /// Restores `recovery` into `directory`, starts PostgreSQL on it, waits for promotion and checks the markers.
    static func recover(_ recovery: Case, cli: LifeboatCLI, into directory: String, expectTimeline: Int? = nil) async throws {
        let port = try FreePort.find()
        let start = recovery.start ? ["--start", "--start-port", String(port)] : []
        let restored = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", directory, "--no-archive"] + start + recovery.arguments)
        let server = try RestoredServer(dataDirectory: directory, port: port)
        guard restored.status == 0 else {
            await server.stopAndRemove()
            Issue.record("\(recovery.name): restore failed: \(restored.output)")
            return
        }
        if recovery.start {
            #expect(restored.stdout.contains("recovery ended and the server promoted"), "\(recovery.name): \(restored.output)")
            #expect(restored.stdout.contains("recovery stopping"), "\(recovery.name): \(restored.output)")
        } else {
            #expect(restored.stdout.contains("start recovery with:"), "\(recovery.name): \(restored.output)")
        }
        do {
            let started = recovery.start ? true : try await server.start()
            #expect(started, "\(recovery.name): the server did not start: \(server.log.suffix(3000))")
            let promoted = try await server.waitForPromotion()
            #expect(promoted, "\(recovery.name): recovery did not end with a promotion: \(server.log.suffix(3000))")
            if started && promoted {
                #expect(try await server.markers() == recovery.markers, "\(recovery.name): \(server.log.suffix(2000))")
                let doomed = try await server.query("SELECT count(*)::text FROM pg_class WHERE relname = 'doomed'")[0][0]
                #expect(doomed == (recovery.doomedTablePresent ? "1" : "0"), "\(recovery.name)")
                if let expectTimeline {
                    let timeline = try await server.query("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")[0][0]
                    #expect(timeline.flatMap { Int($0, radix: 16) } == expectTimeline, "\(recovery.name): \(server.log.suffix(2000))")
                }
            }
        } catch {
            await server.stopAndRemove()
            throw error
        }
        await server.stopAndRemove()
    }
}
