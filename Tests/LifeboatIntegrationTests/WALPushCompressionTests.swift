import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("wal-push compression defaults")
struct WALPushCompressionTests {
    @Test("given a segment and no --compression-level, when it is pushed, then the object is byte for byte the one zstd level 1 stores, not level 3's")
    func defaultLevelIsOne() async throws {
        let root = try WALFixture.sharedDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var options = LocalPostgresCluster.Options()
        options.settings = ["archive_mode": "on", "archive_command": "'/bin/false'"]
        try await withPostgresCluster(options) { cluster in
            let segment = try await WALFixture.switchSegment(cluster, rows: 20_000)
            let path = cluster.dataDirectory + "/pg_wal/" + segment.name
            var stored: [String: Data] = [:]
            for (label, extra) in [("default", [String]()), ("one", ["--compression-level", "1"]), ("three", ["--compression-level", "3"])] {
                let repository = root + "/repo-" + label
                let cli = LifeboatCLI(environment: ["LIFEBOAT_REPO": "file://\(repository)"])
                let result = try await cli.run(["wal-push", "--pgdata", cluster.dataDirectory] + extra + [path])
                #expect(result.status == 0, "\(result.output)")
                let objects = (FileManager.default.enumerator(atPath: repository)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix("/wal/" + segment.name) }
                #expect(objects.count == 1, "\(objects)")
                stored[label] = objects.first.flatMap { FileManager.default.contents(atPath: repository + "/" + $0) }
            }
            let defaultObject = try #require(stored["default"])
            #expect(defaultObject == stored["one"])
            #expect(defaultObject != stored["three"])
        }
    }
}
