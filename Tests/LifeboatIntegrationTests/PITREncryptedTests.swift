import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Point-in-time recovery from an encrypted repository")
struct PITREncryptedTests {
    @Test("given WAL and a base backup encrypted with a key file, when recovered to the latest WAL with that key file, then restore_command names the file, never the key, and every marker is back")
    func encryptedRecovery() async throws {
        let repository = try PITR.sharedFolder("lifeboat-pitr-enc-repo")
        let restores = try PITR.sharedFolder("lifeboat-pitr-enc-restores")
        let keys = try PITR.sharedFolder("lifeboat-pitr-enc-key")
        defer {
            for path in [repository, restores, keys] { try? FileManager.default.removeItem(atPath: path) }
        }
        let key = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let keyFile = keys + "/master.key"
        try Data((key + "\n").utf8).write(to: URL(fileURLWithPath: keyFile))
        if let user = PITR.serverUser, let entry = getpwnam(user) { chown(keyFile, entry.pointee.pw_uid, entry.pointee.pw_gid) }
        chmod(keyFile, 0o600)
        var options = PITR.sourceOptions(repository: repository)
        options.settings["archive_command"] = "'\(LifeboatCLI.executable) wal-push %p --repo file://\(repository) --encryption-key-file \(keyFile)'"
        try await withPostgresCluster(options) { cluster in
            let cli = PITR.cli(cluster, repository: repository)
            try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)"])
            try await PITR.switchAndWaitArchived(cluster)
            let backup = try await cli.run(["backup", "--kind", "base", "-q", "--encryption-key-file", keyFile])
            try #require(backup.status == 0, "base backup failed: \(backup.output)")
            for id in 1...2 { _ = try await PITR.marker(id, in: cluster) }
            let last = try await PITR.switchAndWaitArchived(cluster)

            // The stored WAL is not readable without the key.
            let stored = try Data(contentsOf: URL(fileURLWithPath: try PITRRefusalTests.walFolder(repository) + "/" + last))
            #expect(String(decoding: stored, as: UTF8.self).contains("\"keyId\""), "WAL objects must be encrypted")
            let withoutKey = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", restores + "/nokey", "--target", "latest"])
            #expect(withoutKey.status != 0, "\(withoutKey.output)")

            let directory = restores + "/latest"
            let restored = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", directory, "--no-archive", "--target", "latest", "--encryption-key-file", keyFile])
            try #require(restored.status == 0, "\(restored.output)")
            let conf = try String(contentsOfFile: directory + "/postgresql.auto.conf", encoding: .utf8)
            #expect(conf.contains("--encryption-key-file \(keyFile)"), "\(conf)")
            #expect(!conf.contains(key), "the key itself must never be written")
            #expect(!restored.output.contains(key))
            let server = try RestoredServer(dataDirectory: directory)
            do {
                #expect(try await server.start(), "\(server.log.suffix(3000))")
                #expect(try await server.waitForPromotion(), "\(server.log.suffix(3000))")
                #expect(try await server.markers() == [1, 2])
            } catch {
                await server.stopAndRemove()
                throw error
            }
            await server.stopAndRemove()
        }
    }
}
