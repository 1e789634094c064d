import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("wal-fetch as the restore_command of a real PostgreSQL 15 recovery")
struct WALFetchRecoveryTests {
    /// Runs a PostgreSQL tool as the server's user.
    static func tool(_ name: String, _ arguments: [String], what: String) async throws -> String {
        let path = try PostgresBinaries.locate().path(name)
        if geteuid() == 0 {
            return try await ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments, environment: ["LC_ALL": "C"], what: what)
        }
        return try await ChildProcess.run(path, arguments, environment: ["LC_ALL": "C"], what: what)
    }

    /// Turns a base backup into a recovery through `lifeboat wal-fetch` (no archiving, a free port); returns the port.
    static func configureRecovery(_ restored: String, environment: [String: String], executable: String = LifeboatCLI.executable) throws -> Int {
        let port = try FreePort.find()
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let settings = ["port = \(port)", "archive_mode = off", "restore_command = '\(assignments) \(executable) wal-fetch %f %p'"]
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: restored + "/postgresql.auto.conf"))
        handle.seekToEndOfFile()
        handle.write(Data((settings.joined(separator: "\n") + "\n").utf8))
        try handle.close()
        #expect(FileManager.default.createFile(atPath: restored + "/recovery.signal", contents: Data()))
        WALFixture.giveToPostgres(restored + "/recovery.signal")
        return port
    }

    /// Connects to a recovering server and waits until it has promoted.
    static func connectAfterPromotion(port: Int) async throws -> PGConnection {
        let connection = try await PGConnection.connect(ConnectionSettings(host: "127.0.0.1", port: port, user: "postgres", maintenanceDatabase: "postgres"))
        // Hot standby accepts connections while recovery still runs: wait for the promotion.
        let deadline = Date().addingTimeInterval(60)
        while try await connection.run("SELECT pg_is_in_recovery()::text").first?.first ?? nil == "true", Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        return connection
    }

    enum PrefetchMode: String, CaseIterable, Sendable {
        /// The call that misses fetches the next segments too.
        case inline
        /// A background fetcher reads ahead while PostgreSQL replays (`--async`).
        case background
    }

    @Test("given an encrypted archive, when a base backup recovers through wal-fetch with --prefetch 3 (inline, or --async in the background), then segments come from the queue, every row is replayed, and the queue is gone at the end",
          arguments: PrefetchMode.allCases)
    func encryptedPrefetchRecovery(mode: PrefetchMode) async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        let key = String(repeating: "0123456789abcdef", count: 4)
        let common = ["LIFEBOAT_REPO": "file://\(repository)", "LIFEBOAT_ENCRYPTION_KEY": key]
        try await withPostgresCluster(WALFixture.archivingOptions(environment: common)) { cluster in
            try await cluster.execute(["CREATE TABLE markers (id int PRIMARY KEY)", "INSERT INTO markers VALUES (0)"])
            let restored = root + "/restored"
            _ = try await Self.tool("pg_basebackup", ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres", "-D", restored, "-X", "none", "-c", "fast"],
                                    what: "pg_basebackup")
            var last = ""
            for id in 1...6 {
                try await cluster.execute(["INSERT INTO markers VALUES (\(id))"])
                last = try await WALFixture.switchSegment(cluster).name
            }
            try await WALFixture.waitUntilArchived(cluster, last)
            let objects = (FileManager.default.enumerator(atPath: repository)?.allObjects as? [String] ?? []).filter { $0.hasSuffix("/wal/" + last) }
            let stored = [UInt8](try Data(contentsOf: URL(fileURLWithPath: repository + "/" + (try #require(objects.first)))))
            #expect(try WALObject.header(of: stored, path: last).0.keyId != nil, "wal-push did not encrypt")

            var environment = common
            environment["LIFEBOAT_WAL_FETCH_PREFETCH"] = "3"
            if mode == .background { environment["LIFEBOAT_WAL_FETCH_ASYNC"] = "1" }
            environment["LIFEBOAT_LOG_LEVEL"] = "info"
            // In the background mode through lifeboat-wal, which serves queued segments itself.
            let port = try Self.configureRecovery(restored, environment: environment,
                                                  executable: mode == .background ? LifeboatCLI.fastExecutable : LifeboatCLI.executable)
            let log = root + "/restored.log"
            _ = try await Self.tool("pg_ctl", ["-D", restored, "-l", log, "-w", "-t", "60", "start"], what: "starting the recovery")
            do {
                let connection = try await Self.connectAfterPromotion(port: port)
                defer { connection.close() }
                #expect(try await connection.run("SELECT count(*)::text FROM markers").first?.first ?? nil == "7")
            } catch {
                Issue.record("the recovered server did not answer: \(error)")
            }
            // The background fetcher sees recovery.signal go at the promotion and removes the queue on its way out.
            let queue = restored + "/pg_wal/lifeboat-fetch"
            for _ in 0..<100 where FileManager.default.fileExists(atPath: queue) { try await Task.sleep(for: .milliseconds(50)) }
            _ = try? await Self.tool("pg_ctl", ["-D", restored, "-m", "immediate", "-w", "stop"], what: "stopping the recovered server")
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(text.components(separatedBy: "from the prefetch queue").count - 1 >= 3, "\(text.suffix(4000))")
            if mode == .background { #expect(text.contains("lifeboat-wal: restored"), "\(text.suffix(4000))") }
            #expect(!FileManager.default.fileExists(atPath: queue), "the prefetch queue was left behind")
        }
    }

    @Test("given a base backup and archived WAL with one segment object corrupted, when recovery runs with wal-fetch, then PostgreSQL stops with exit code 200 instead of promoting; once repaired, recovery replays every row and promotes, and the history file it writes parses and round-trips through the archive (fetching each segment when asked, or with a background fetcher reading ahead)",
          arguments: [PrefetchMode?.none, .background])
    func corruptedSegmentStopsRecovery(mode: PrefetchMode?) async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        let options = WALFixture.archivingOptions(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
        try await withPostgresCluster(options) { cluster in
            try await cluster.execute(["CREATE TABLE markers (id int PRIMARY KEY, note text)", "INSERT INTO markers VALUES (1, 'before the base backup')"])
            let restored = root + "/restored"
            _ = try await Self.tool("pg_basebackup", ["-h", "127.0.0.1", "-p", String(cluster.port), "-U", "postgres", "-D", restored, "-X", "none", "-c", "fast"],
                                    what: "pg_basebackup")
            try await cluster.execute(["INSERT INTO markers VALUES (2, 'in the segment that gets damaged')"])
            let damaged = try await WALFixture.switchSegment(cluster)
            try await cluster.execute(["INSERT INTO markers VALUES (3, 'after it')"])
            let last = try await WALFixture.switchSegment(cluster)
            try await WALFixture.waitUntilArchived(cluster, last.name)

            let objects = FileManager.default.enumerator(atPath: repository)?.allObjects as? [String] ?? []
            let object = repository + "/" + (try #require(objects.first { $0.hasSuffix("/wal/" + damaged.name) }))
            let original = try Data(contentsOf: URL(fileURLWithPath: object))
            var bytes = [UInt8](original)
            bytes[bytes.count / 2] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: object))

            var environment = ["LIFEBOAT_REPO": "file://\(repository)", "LIFEBOAT_WAL_FETCH_ATTEMPTS": "1"]
            if mode == .background {
                // The background fetcher meets the damaged object first: its prefetch fails, the call fetches it itself.
                environment["LIFEBOAT_WAL_FETCH_PREFETCH"] = "3"
                environment["LIFEBOAT_WAL_FETCH_ASYNC"] = "1"
            }
            let port = try Self.configureRecovery(restored, environment: environment)
            let log = root + "/restored.log"
            defer { _ = try? FileManager.default.removeItem(atPath: restored) }

            await #expect(throws: (any Error).self, "recovery must not finish over a damaged segment") {
                try await Self.tool("pg_ctl", ["-D", restored, "-l", log, "-w", "-t", "60", "start"], what: "starting the restored server")
            }
            let failedLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(failedLog.contains("exit code 200") && failedLog.contains(damaged.name), "\(failedLog.suffix(3000))")
            #expect(!failedLog.contains("selected new timeline ID"), "the server promoted: \(failedLog.suffix(3000))")
            #expect(FileManager.default.fileExists(atPath: restored + "/recovery.signal"), "recovery must still be pending")

            try original.write(to: URL(fileURLWithPath: object))
            _ = try await Self.tool("pg_ctl", ["-D", restored, "-l", log, "-w", "-t", "60", "start"], what: "starting the repaired recovery")
            do {
                let connection = try await Self.connectAfterPromotion(port: port)
                defer { connection.close() }
                let rows = try await connection.run("SELECT string_agg(id::text, ',' ORDER BY id) FROM markers")
                #expect(rows.first?.first ?? nil == "1,2,3")
                let state = try await connection.run("SELECT pg_is_in_recovery()::text, substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")
                #expect(state.first ?? [] == ["false", "00000002"], "recovery ends at the archive's end and promotes to timeline 2")
                // The promotion wrote a real history file: parse it, archive it, fetch it back.
                let historyPath = restored + "/pg_wal/00000002.history"
                let text = try String(contentsOfFile: historyPath, encoding: .utf8)
                let history = try TimelineHistory(timeline: 2, text: text)
                #expect(history.lineage == [1, 2], "\(text)")
                let switchpoint = try #require(history.entries.first?.switchpoint)
                let lastName = try #require(WALFileName(last.name))
                #expect(switchpoint >= lastName.startLSN(segmentSize: 16 << 20) && switchpoint <= lastName.next.next.startLSN(segmentSize: 16 << 20), "\(text)")
                #expect(history.entries.first?.reason == "no recovery target specified")
                #expect(history.timeline(containing: LSN(0)) == 1 && history.timeline(containing: switchpoint) == 2)
                let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
                let pushed = try await cli.run(["wal-push", "--pgdata", restored, historyPath])
                #expect(pushed.status == 0, "\(pushed.output)")
                let fetched = try await cli.run(["wal-fetch", "00000002.history", root + "/history", "--pgdata", restored])
                #expect(fetched.status == 0, "\(fetched.output)")
                #expect(try String(contentsOfFile: root + "/history", encoding: .utf8) == text)
            } catch {
                Issue.record("the repaired recovery did not come up: \(error)\n\(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(3000))")
            }
            _ = try? await Self.tool("pg_ctl", ["-D", restored, "-m", "immediate", "-w", "stop"], what: "stopping the restored server")
        }
    }
}
