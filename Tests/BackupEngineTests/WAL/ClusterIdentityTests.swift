import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Cluster identity agrees with PostgreSQL 15's own tools")
struct ClusterIdentityTests {
    /// Runs initdb (as `postgres` when we are root) into a new folder; no server is started: initdb alone writes
    /// global/pg_control and the first WAL segment.
    static func initdb(segmentSizeMB: Int?, in root: String) async throws -> String {
        let binaries = try PostgresBinaries.locate()
        let data = root + "/data-\(segmentSizeMB ?? 16)"
        var arguments = [try binaries.path("initdb"), "-D", data, "-U", "postgres", "--no-sync", "--auth=trust"]
        if let segmentSizeMB { arguments.append("--wal-segsize=\(segmentSizeMB)") }
        if geteuid() == 0 {
            if let entry = getpwnam("postgres") { chown(root, entry.pointee.pw_uid, entry.pointee.pw_gid) }
            chmod(root, 0o755)
            _ = try await ChildProcess.run("/usr/sbin/runuser", ["-u", "postgres", "--"] + arguments, what: "initdb")
        } else {
            _ = try await ChildProcess.run(arguments[0], Array(arguments.dropFirst()), what: "initdb")
        }
        return data
    }

    /// `pg_controldata`'s value for `label`.
    static func controlData(_ data: String, _ label: String) async throws -> String {
        let output = try await ChildProcess.run(try PostgresBinaries.locate().path("pg_controldata"), [data], environment: ["LC_ALL": "C"], what: "pg_controldata")
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(label + ":") })
        return line.dropFirst(label.count + 1).trimmingCharacters(in: .whitespaces)
    }

    @Test("given data directories made with 16 MiB and 1 MiB segments, when read, then system identifier and segment size match pg_controldata, and the first segment's header names the same cluster and its own position",
          arguments: [Int?.none, 1])
    func readAgreesWithControlData(segmentSizeMB: Int?) async throws {
        let root = try TemporaryFiles.makeDirectory(prefix: "lifeboat-identity", shared: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let data = try await Self.initdb(segmentSizeMB: segmentSizeMB, in: root)
        let identity = try ClusterIdentity.read(dataDirectory: data)
        #expect(identity.systemIdentifier == (try await Self.controlData(data, "Database system identifier")))
        #expect(String(identity.walSegmentSize) == (try await Self.controlData(data, "Bytes per WAL segment")))
        #expect(identity.walSegmentSize == UInt64(segmentSizeMB ?? 16) << 20)
        #expect(identity.majorVersion == 15)

        let segments = try FileManager.default.contentsOfDirectory(atPath: data + "/pg_wal")
            .compactMap { WALFileName($0, segmentSize: identity.walSegmentSize) }.filter { $0.kind == .segment }.sorted()
        let segment = try #require(segments.first)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: data + "/pg_wal/" + segment.description)))
        #expect(ClusterIdentity.systemIdentifier(segmentHeader: bytes) == identity.systemIdentifier)
        #expect(ClusterIdentity.segmentSize(segmentHeader: bytes) == identity.walSegmentSize)
        #expect(ClusterIdentity.pageAddress(segmentHeader: bytes) == segment.startLSN(segmentSize: identity.walSegmentSize))
        try WALSegmentCheck.check(bytes, name: segment, identity: identity)
    }

    @Test("given a running server, when asked with SQL and read from its data directory, then both give the same identity")
    func queryAgreesWithRead() async throws {
        try await withPostgresCluster { cluster in
            let connection = try await PGConnection.connect(cluster.connection)
            defer { connection.close() }
            let queried = try await runBlocking { try ClusterIdentity.query(connection) }
            let read = try ClusterIdentity.read(dataDirectory: cluster.dataDirectory)
            #expect(queried == read)
            let direct = try await cluster.query("SELECT system_identifier::text FROM pg_control_system()")
            #expect(direct.first?.first ?? nil == read.systemIdentifier)
        }
    }

    @Test("given a folder that is not a data directory, when read, then the error says so and hints at --pgdata")
    func notADataDirectory() async throws {
        _ = try await withTemporaryDirectory { dir in
            #expect {
                try ClusterIdentity.read(dataDirectory: dir)
            } throws: { error in
                (error as? LifeboatError)?.description.contains("--pgdata") == true
            }
        }
    }

    @Test("given pg_control bytes without the float-format sentinel, when the segment size is read, then nil (never a guess)")
    func unknownControlLayout() {
        #expect(ClusterIdentity.segmentSize(controlFile: [UInt8](repeating: 0, count: 512)) == nil)
        #expect(ClusterIdentity.systemIdentifier(segmentHeader: [UInt8](repeating: 0, count: 39)) == nil)
    }
}
