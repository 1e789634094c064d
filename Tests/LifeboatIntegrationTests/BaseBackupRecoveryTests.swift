import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("base backups: restorable end to end", .serialized)
struct BaseBackupRecoveryTests {
    @Test("given an encrypted base backup and its archived WAL, when it is extracted and PostgreSQL recovers to its end with wal-fetch, then the server starts and has the data of the backup")
    func extractedBackupRecovers() async throws {
        try await ArchivingCluster.with { fixture in
            try await SampleData.load(fixture.cluster, database: "app", rows: 700)
            try await fixture.switchAndWaitArchived()
            let key = String(repeating: "3c", count: 32)
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "60s"], extraEnvironment: ["LIFEBOAT_ENCRYPTION_KEY": key])
            #expect(run.status == 0, "\(run.output)")
            try await fixture.cluster.execute(["INSERT INTO orders (customer, amount) VALUES (1, 1)"], database: "app")
            let manifest = try #require(try await fixture.repository.backups().first)
            #expect(manifest.encryptionKeyId != nil)
            #expect(manifest.objects.allSatisfy { $0.name.hasSuffix(".enc") })

            let target = fixture.folder + "/restored"
            // Without the key nothing is written.
            do {
                _ = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: nil)
                Issue.record("an encrypted base backup was extracted without its key")
            } catch let error as LifeboatError {
                #expect(error.code == .encryptionKey, "\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: target))
            let keyring = EncryptionKeyring(current: try EncryptionKey.fromEnvironment(["LIFEBOAT_ENCRYPTION_KEY": key])!)
            let extracted = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: keyring)
            #expect(extracted.verifiedWithPostgresManifest)

            // Recover to the end of the backup (recovery_target = 'immediate'), WAL from the repository, and look.
            let port = try FreePort.find()
            let conf = """
                port = \(port)
                unix_socket_directories = '\(fixture.folder)'
                archive_mode = off
                restore_command = '\(LifeboatCLI.executable) wal-fetch --repo file://\(fixture.repositoryPath) %f %p'
                recovery_target = 'immediate'
                recovery_target_action = 'pause'

                """
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target + "/postgresql.auto.conf"))
            handle.seekToEndOfFile()
            handle.write(Data(conf.utf8))
            try handle.close()
            _ = FileManager.default.createFile(atPath: target + "/recovery.signal", contents: Data())
            let binaries = try PostgresBinaries.locate()
            let asPostgres: (String, [String]) -> (String, [String]) = { tool, args in
                geteuid() == 0 ? ("/usr/sbin/runuser", ["-u", "postgres", "--", tool] + args) : (tool, args)
            }
            if geteuid() == 0 { _ = try await ChildProcess.run("/bin/chown", ["-R", "postgres:postgres", target], what: "handing the data directory to postgres") }
            let pgCtl = try binaries.path("pg_ctl")
            let start = asPostgres(pgCtl, ["-D", target, "-l", fixture.folder + "/restored.log", "-w", "-t", "60", "start"])
            do {
                _ = try await ChildProcess.run(start.0, start.1, what: "starting the recovered server")
            } catch {
                Issue.record("the recovered server did not start: \(error)\n\((try? String(contentsOfFile: fixture.folder + "/restored.log", encoding: .utf8)) ?? "")")
                throw error
            }
            let stop = asPostgres(pgCtl, ["-D", target, "-m", "immediate", "-w", "-t", "60", "stop"])
            let outcome: Result<(String?, String?), any Error>
            do {
                outcome = .success(try await Self.look(port: port, stopLSN: manifest.physical!.stopLSN))
            } catch {
                outcome = .failure(error)
            }
            _ = try? await ChildProcess.run(stop.0, stop.1, what: "stopping the recovered server")
            let (replayed, count) = try outcome.get()
            #expect(replayed.flatMap(LSN.init).map { $0 >= manifest.physical!.stopLSN } == true, "replayed to \(replayed ?? "nothing"), stop is \(manifest.physical!.stopLSN)")
            #expect(count == "700", "the backup had 700 orders; the row inserted after it is not there")
        }
    }

    /// Waits until the recovered server replayed past `stopLSN`; returns the replayed LSN and the number of orders.
    static func look(port: Int, stopLSN: LSN) async throws -> (String?, String?) {
        let connection = try await PGConnection.connect(ConnectionSettings(host: "127.0.0.1", port: port, user: "postgres"), database: "app")
        defer { connection.close() }
        var replayed: String?
        for _ in 0..<60 {
            replayed = try await connection.run("SELECT pg_last_wal_replay_lsn()::text").first?.first ?? nil
            if let text = replayed, let lsn = LSN(text), lsn >= stopLSN { break }
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        return (replayed, try await connection.run("SELECT count(*) FROM orders").first?.first ?? nil)
    }
}
