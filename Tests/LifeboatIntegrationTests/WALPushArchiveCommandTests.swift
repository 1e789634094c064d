import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("wal-push as the archive_command of a real PostgreSQL 15")
struct WALPushArchiveCommandTests {
    @Test("given a server archiving with wal-push into a directory, when segments are switched, then each is archived and wal-fetch returns it byte for byte; the next one is absent (exit 1)")
    func archiveAndFetchBack() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = root + "/repo"
        let options = WALFixture.archivingOptions(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
        try await withPostgresCluster(options) { cluster in
            var switched: [(name: String, sha256: String)] = []
            for _ in 0..<3 { switched.append(try await WALFixture.switchSegment(cluster)) }
            try await WALFixture.waitUntilArchived(cluster, switched.last!.name)
            let archived = WALFixture.archivedNames(repository: repository)
            for segment in switched { #expect(archived.contains(segment.name), "\(segment.name) not in \(archived)") }
            #expect(try await WALFixture.archiverCounts(cluster).failed == 0, "\(cluster.serverLog().suffix(2000))")

            let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
            for segment in switched {
                let destination = root + "/fetched-" + segment.name
                let result = try await cli.run(["wal-fetch", segment.name, destination, "--pgdata", cluster.dataDirectory])
                #expect(result.status == 0, "\(result.output)")
                #expect(try WALFixture.sha256(file: destination) == segment.sha256, "\(segment.name) differs from the file PostgreSQL wrote")
            }
            let next = try #require(WALFileName(switched.last!.name)).next.next.description
            let absent = try await cli.run(["wal-fetch", next, root + "/absent", "--pgdata", cluster.dataDirectory])
            #expect(absent.status == 1, "\(absent.output)")
            #expect(!FileManager.default.fileExists(atPath: root + "/absent"))
            let history = try await cli.run(["wal-fetch", "00000002.history", root + "/history", "--pgdata", cluster.dataDirectory])
            #expect(history.status == 1, "an absent history file is the normal end of the timeline search: \(history.output)")
        }
    }

    @Test("given the S3 repository is unreachable, when segments are switched, then archive_command fails and PostgreSQL keeps them; once it is back, every segment is archived without a gap")
    func unreachableRepositoryThenBack() async throws {
        try await withMotoServer(buckets: ["wal"]) { moto in
            let root = try WALFixture.sharedDirectory()
            defer { try? FileManager.default.removeItem(atPath: root) }
            // The endpoint is read from a file at every archive_command run: first a port where nothing listens.
            let endpointFile = root + "/endpoint"
            let dead = "http://127.0.0.1:\(try S3FixtureSupport.freeLoopbackPort())"
            try dead.write(toFile: endpointFile, atomically: true, encoding: .utf8)
            var environment = WALFixture.s3Environment(endpoint: moto.endpoint)
            environment["LIFEBOAT_S3_ENDPOINT"] = nil
            let options = WALFixture.archivingOptions(environment: environment, rawPrefix: "LIFEBOAT_S3_ENDPOINT=$(cat \(endpointFile)) ")
            try await withPostgresCluster(options) { cluster in
                let first = try await WALFixture.switchSegment(cluster)
                let deadline = Date().addingTimeInterval(60)
                while try await WALFixture.archiverCounts(cluster).failed == 0, Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
                let failing = try await WALFixture.archiverCounts(cluster)
                #expect(failing.failed > 0 && failing.archived == 0, "\(failing)")
                #expect(FileManager.default.fileExists(atPath: cluster.dataDirectory + "/pg_wal/archive_status/\(first.name).ready"), "PostgreSQL must keep the segment ready")
                let second = try await WALFixture.switchSegment(cluster)

                try moto.endpoint.absoluteString.write(toFile: endpointFile, atomically: true, encoding: .utf8)
                // A new ready segment wakes the archiver at once (it otherwise waits a minute after three failures).
                let third = try await WALFixture.switchSegment(cluster)
                try await WALFixture.waitUntilArchived(cluster, third.name, seconds: 90)
                let counts = try await WALFixture.archiverCounts(cluster)
                #expect(counts.archived >= 3, "\(counts)")

                let cli = LifeboatCLI(environment: WALFixture.s3Environment(endpoint: moto.endpoint))
                for segment in [first, second, third] {
                    let destination = root + "/fetched-" + segment.name
                    let result = try await cli.run(["wal-fetch", segment.name, destination, "--pgdata", cluster.dataDirectory])
                    #expect(result.status == 0, "\(segment.name): \(result.output)")
                    #expect(try WALFixture.sha256(file: destination) == segment.sha256)
                }
                // No gap: every segment from the first to the third is in the archive.
                let firstName = try #require(WALFileName(first.name)), thirdName = try #require(WALFileName(third.name))
                for number in firstName.segmentNumber...thirdName.segmentNumber {
                    let name = WALFileName(timeline: 1, segmentNumber: number).description
                    let result = try await cli.run(["wal-fetch", name, root + "/gap-check", "--pgdata", cluster.dataDirectory])
                    #expect(result.status == 0, "\(name) is missing from the archive: \(result.output)")
                }
            }
        }
    }

    @Test("given a repository claimed by one cluster, when a second initdb'd cluster pushes, or its segment is pushed as the first's, then both are refused naming both clusters")
    func anotherClusterRefused() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(root)/repo"])
        try await withPostgresCluster { first in
            try await withPostgresCluster { second in
                let firstID = try ClusterIdentity.read(dataDirectory: first.dataDirectory).systemIdentifier
                let secondID = try ClusterIdentity.read(dataDirectory: second.dataDirectory).systemIdentifier
                #expect(firstID != secondID)
                let own = try await WALFixture.switchSegment(first)
                let pushed = try await cli.run(["wal-push", "--pgdata", first.dataDirectory, first.dataDirectory + "/pg_wal/" + own.name])
                #expect(pushed.status == 0, "\(pushed.output)")

                let foreign = try await WALFixture.switchSegment(second)
                let refused = try await cli.run(["wal-push", "--pgdata", second.dataDirectory, second.dataDirectory + "/pg_wal/" + foreign.name])
                #expect(refused.status != 0 && refused.status < 126)
                #expect(refused.stderr.contains(firstID) && refused.stderr.contains(secondID), "\(refused.stderr)")

                // The second cluster's segment copied into the first's pg_wal under a name the first would use.
                let copied = root + "/copied"
                try FileManager.default.createDirectory(atPath: copied, withIntermediateDirectories: true)
                let target = copied + "/" + foreign.name
                try FileManager.default.copyItem(atPath: second.dataDirectory + "/pg_wal/" + foreign.name, toPath: target)
                let mixed = try await cli.run(["wal-push", "--pgdata", first.dataDirectory, target])
                #expect(mixed.status != 0 && mixed.status < 126)
                #expect(mixed.stderr.contains(firstID) && mixed.stderr.contains(secondID), "\(mixed.stderr)")
                #expect(WALFixture.archivedNames(repository: root + "/repo") == [own.name])
            }
        }
    }
}
