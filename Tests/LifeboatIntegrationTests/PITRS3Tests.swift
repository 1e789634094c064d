import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Point-in-time recovery from an S3 repository")
struct PITRS3Tests {
    @Test("given WAL archived into S3 by wal-push --async and a base backup there, when recovered to just after a marker's commit through the restore_command lifeboat writes (background prefetch from S3), then exactly the markers up to it are back")
    func timeTargetFromS3() async throws {
        try await withMotoServer(buckets: ["pitr"]) { moto in
            let repo = "s3://pitr/prod"
            let endpoint = moto.endpoint.absoluteString
            let credentials = "AWS_ACCESS_KEY_ID=\(MotoServer.accessKeyId) AWS_SECRET_ACCESS_KEY=\(MotoServer.secretAccessKey)"
            let restores = try PITR.sharedFolder("lifeboat-pitr-s3-restores")
            defer { try? FileManager.default.removeItem(atPath: restores) }
            var options = PITR.sourceOptions(repository: "unused")
            options.settings["archive_command"] =
                "'env \(credentials) LIFEBOAT_S3_ENDPOINT=\(endpoint) \(LifeboatCLI.executable) wal-push --async --parallel 2 --repo \(repo) %p'"
            try await withPostgresCluster(options) { cluster in
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging([
                    "LIFEBOAT_REPO": repo, "LIFEBOAT_S3_ENDPOINT": endpoint,
                    "AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
                ]) { $1 })
                try await cluster.execute(["CREATE TABLE marker (id int PRIMARY KEY)"])
                try await PITR.switchAndWaitArchived(cluster)
                let backup = try await cli.run(["backup", "--kind", "base", "-q"])
                try #require(backup.status == 0, "base backup failed: \(backup.output)")
                // Markers spread over several segments, so recovery asks for more than the fetcher's first window.
                var markers: [PITR.Marker] = []
                for id in 1...4 {
                    markers.append(try await PITR.marker(id, in: cluster))
                    try await PITR.switchAndWaitArchived(cluster)
                }

                let directory = restores + "/time"
                let restored = try await cli.run(["restore", "--kind", "point-in-time", "--pgdata", directory, "--no-archive",
                                                  "--target-time", markers[2].commitTime.postgresText])
                try #require(restored.status == 0, "\(restored.output)")
                let conf = try String(contentsOfFile: directory + "/postgresql.auto.conf", encoding: .utf8)
                let line = try #require(conf.split(separator: "\n").first { $0.hasPrefix("restore_command = '") }, "\(conf)")
                #expect(line.contains("--repo \(repo)") && line.contains("--s3-endpoint \(endpoint)") && line.contains("--prefetch 8 --async"), "\(line)")
                #expect(line.hasPrefix("restore_command = '\(LifeboatCLI.fastExecutable) wal-fetch %f %p"), "lifeboat-wal serves the queue: \(line)")
                // (The source's own archive_command came along in the base backup; what lifeboat wrote carries no secret.)
                #expect(!line.contains(MotoServer.secretAccessKey) && !line.contains(MotoServer.accessKeyId), "\(line)")
                // The server's environment is where credentials belong; this test's server has none, so its own copy of
                // the command gets them in front (a later setting wins).
                let command = line.dropFirst("restore_command = '".count)
                try (conf + "restore_command = 'env \(credentials) LIFEBOAT_LOG_LEVEL=info \(command)\n").write(toFile: directory + "/postgresql.auto.conf", atomically: true, encoding: .utf8)

                let server = try RestoredServer(dataDirectory: directory)
                do {
                    #expect(try await server.start(), "\(server.log.suffix(3000))")
                    #expect(try await server.waitForPromotion(), "\(server.log.suffix(3000))")
                    #expect(try await server.markers() == [1, 2, 3])
                    // Queued segments were answered by lifeboat-wal, whose repository configuration matched the entries'.
                    #expect(server.log.contains("lifeboat-wal: restored"), "\(server.log.suffix(3000))")
                    // A time target stops at the first commit after it: marker 4's.
                    #expect(server.log.contains("recovery stopping before commit of transaction \(markers[3].xid)"), "\(server.log.suffix(3000))")
                } catch {
                    await server.stopAndRemove()
                    throw error
                }
                await server.stopAndRemove()
            }
        }
    }
}
