import BackupEngine
import Foundation
import LifeboatTesting
import Testing
@testable import WALFastPath

@Suite("lifeboat-wal's fast paths: answer only what lifeboat's own files prove, hand everything else to lifeboat")
struct FastPathTests {
    static let system: UInt64 = 7_301_234_567_890_123_456
    static let segment = "000000010000000000000005"

    /// A data directory with a pg_control naming `system`, a WAL segment in pg_wal, and the spool/queue folders.
    static func dataDirectory(_ root: String) throws -> String {
        let data = root + "/pgdata"
        try FileManager.default.createDirectory(atPath: data + "/global", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: data + "/pg_wal/archive_status", withIntermediateDirectories: true)
        var control = [UInt8](repeating: 0, count: 512)
        withUnsafeBytes(of: system.littleEndian) { for (index, byte) in $0.enumerated() { control[index] = byte } }
        try Data(control).write(to: URL(fileURLWithPath: data + "/global/pg_control"))
        try Data(repeating: 7, count: 4096).write(to: URL(fileURLWithPath: data + "/pg_wal/" + segment))
        return data
    }

    static let environment = ["LIFEBOAT_REPO": "file:///srv/repo"]
    static var origin: String { FastPathArguments.origin(repo: "file:///srv/repo", endpoint: nil, region: nil, pathStyle: nil) }

    /// Records an acknowledgement for the segment as the background pusher does.
    static func acknowledge(_ data: String, origin: String = origin, system: String = String(system)) throws {
        let spool = WALPushSpool(dataDirectory: data)
        let path = data + "/pg_wal/" + segment
        try spool.record(WALPushSpool.Acknowledgement(name: segment, sha256: "x", bytes: 4096, repository: "file:///srv/repo",
                                                      systemIdentifier: system, file: WALPushSpool.FileStamp(path: path), origin: origin))
    }

    @Test("given the options wal-push and wal-fetch document, when parsed, then they are read; help, an unknown option or a missing positional hand over to lifeboat")
    func arguments() {
        let push = FastPathArguments.parse(["wal-push", "--async", "--parallel", "4", "--repo=file:///r", "pg_wal/\(Self.segment)"])
        #expect(push?.options == ["async": "true", "parallel": "4", "repo": "file:///r"])
        #expect(push?.positional == ["pg_wal/\(Self.segment)"])
        #expect(FastPathArguments.parse(["wal-fetch", "--prefetch", "8", "--async", Self.segment, "pg_wal/RECOVERYXLOG"])?.positional.count == 2)
        #expect(FastPathArguments.parse(["wal-push", "--help"]) == nil)
        #expect(FastPathArguments.parse(["wal-push", "-h", "x"]) == nil)
        #expect(FastPathArguments.parse(["wal-push", "--bogus", "x"]) == nil)
        #expect(FastPathArguments.parse(["wal-push", "--parallel"]) == nil)
        #expect(FastPathArguments.parse(["wal-fetch", Self.segment]) == nil)
        #expect(FastPathArguments.parse(["backup", "--kind", "base"]) == nil)
    }

    @Test("given an acknowledgement JSONEncoder wrote (escaped slashes, nested stamp), when read by MiniJSON, then every field is the same")
    func miniJSONReadsAcknowledgements() throws {
        let stamp = try #require(WALPushSpool.FileStamp(path: "/proc/self/exe"))
        let ack = WALPushSpool.Acknowledgement(name: Self.segment, sha256: "ab", bytes: 16_777_216, repository: "file:///srv/a b/\"q\"",
                                               systemIdentifier: String(Self.system), file: stamp, origin: "repo=s3://b/p|s3-endpoint=http://h:1|s3-region=|s3-path-style=")
        let json = try #require(MiniJSON.parse([UInt8](try JSONEncoder().encode(ack))))
        #expect(json["name"]?.string == ack.name && json["repository"]?.string == ack.repository && json["origin"]?.string == ack.origin)
        #expect(json["bytes"]?.int64 == 16_777_216 && json["systemIdentifier"]?.string == String(Self.system))
        #expect(FileStamp(json["file"]) == FileStamp(path: "/proc/self/exe"))
        #expect(MiniJSON.parse(Array("{\"a\":".utf8)) == nil)
        #expect(MiniJSON.parse(Array("{\"a\":1} x".utf8)) == nil)
    }

    @Test("given a matching acknowledgement, when wal-push --async runs in the data directory, then it answers 0 and takes the acknowledgement")
    func pushAnswered() async throws {
        try await withTemporaryDirectory { root in
            let data = try Self.dataDirectory(root)
            try Self.acknowledge(data)
            let absolute = FastPath.decide(arguments: ["wal-push", "--async", "--pgdata", data, data + "/pg_wal/\(Self.segment)"],
                                           environment: Self.environment, currentDirectory: root)
            #expect(absolute == .answered(0))
            #expect(!FileManager.default.fileExists(atPath: data + "/pg_wal/lifeboat-push/\(Self.segment).ok"))
        }
    }

    enum PushMismatch: String, CaseIterable, Sendable { case notAsync, otherRepository, otherCluster, fileTouched, noAcknowledgement, torn }

    @Test("given an acknowledgement that does not prove this call's answer, when wal-push runs, then it hands over to lifeboat and leaves the acknowledgement for it",
          arguments: PushMismatch.allCases)
    func pushDelegated(mismatch: PushMismatch) async throws {
        try await withTemporaryDirectory { root in
            let data = try Self.dataDirectory(root)
            var arguments = ["wal-push", "--async", "--pgdata", data, data + "/pg_wal/\(Self.segment)"]
            var environment = Self.environment
            let ack = data + "/pg_wal/lifeboat-push/\(Self.segment).ok"
            switch mismatch {
            case .notAsync:
                try Self.acknowledge(data)
                arguments.remove(at: 1)
            case .otherRepository:
                try Self.acknowledge(data)
                environment["LIFEBOAT_REPO"] = "file:///srv/other"
            case .otherCluster: try Self.acknowledge(data, system: "42")
            case .fileTouched:
                try Self.acknowledge(data)
                try await Task.sleep(for: .milliseconds(10))
                try Data(repeating: 8, count: 4096).write(to: URL(fileURLWithPath: data + "/pg_wal/" + Self.segment))
            case .noAcknowledgement: break
            case .torn:
                try FileManager.default.createDirectory(atPath: data + "/pg_wal/lifeboat-push", withIntermediateDirectories: true)
                try Data("{\"name\":\"\(Self.segment)\"".utf8).write(to: URL(fileURLWithPath: ack))
            }
            #expect(FastPath.decide(arguments: arguments, environment: environment, currentDirectory: root) == .delegate)
            #expect(FileManager.default.fileExists(atPath: ack) == (mismatch != .noAcknowledgement))
        }
    }

    @Test("given a background fetcher holding the queue and a verified entry, when wal-fetch --prefetch N --async asks for it, then it is renamed into place and the request recorded; without the fetcher, or with the file changed, lifeboat decides")
    func fetch() async throws {
        try await withTemporaryDirectory { root in
            let data = try Self.dataDirectory(root)
            let queue = WALFetchQueue(directory: data + "/pg_wal/lifeboat-fetch")
            let name = try #require(WALFileName(Self.segment))
            let bytes = [UInt8](repeating: 9, count: 8192)
            let entry = WALFetchQueue.Entry(name: Self.segment, sha256: WALObject.sha256(bytes), bytes: 8192, repository: "file:///srv/repo",
                                            systemIdentifier: String(Self.system), origin: Self.origin)
            try queue.add(bytes, entry: entry, name: name)
            let arguments = ["wal-fetch", "--prefetch", "8", "--async", "--pgdata", data, Self.segment, root + "/RECOVERYXLOG"]
            // No background fetcher: it would not hear of the request, so lifeboat (which starts one) decides.
            #expect(FastPath.decide(arguments: arguments, environment: Self.environment, currentDirectory: root) == .delegate)

            let lock = try #require(try ExclusiveFileLock.tryAcquire(queue.lockPath))
            #expect(FastPath.decide(arguments: arguments, environment: Self.environment, currentDirectory: root) == .answered(0))
            #expect(FileManager.default.contents(atPath: root + "/RECOVERYXLOG") == Data(bytes))
            #expect(!queue.contains(name))
            #expect(queue.requested(segmentSize: WALFileName.defaultSegmentSize) == name)

            try queue.add(bytes, entry: entry, name: name)
            try await Task.sleep(for: .milliseconds(10))
            try Data(repeating: 1, count: 8192).write(to: URL(fileURLWithPath: queue.directory + "/" + Self.segment))
            #expect(FastPath.decide(arguments: arguments, environment: Self.environment, currentDirectory: root) == .delegate)
            #expect(FastPath.decide(arguments: ["wal-fetch", "--prefetch", "8", "--async", "--pgdata", data, "00000002.history", root + "/h"],
                                    environment: Self.environment, currentDirectory: root) == .delegate)
            withExtendedLifetime(lock) {}
        }
    }
}
