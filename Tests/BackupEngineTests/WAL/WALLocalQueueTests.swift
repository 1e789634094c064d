import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Local WAL queues: the fetch prefetch queue and the push acknowledgements")
struct WALLocalQueueTests {
    static let name = WALFileName(timeline: 1, segmentNumber: 5)
    static let bytes = Array("segment five".utf8)
    static let entry = WALFetchQueue.Entry(name: name.description, sha256: WALObject.sha256(bytes), bytes: Int64(bytes.count),
                                           repository: "file:///repo", systemIdentifier: "42")

    @Test("given a queued segment, when taken for the same repository and cluster, then it moves to the destination and leaves the queue")
    func takeServesVerified() async throws {
        try await withTemporaryDirectory { dir in
            let queue = WALFetchQueue(directory: dir + "/queue")
            try queue.add(Self.bytes, entry: Self.entry, name: Self.name)
            #expect(queue.contains(Self.name))
            #expect(queue.take(Self.name, repository: "file:///repo", systemIdentifier: "42", to: dir + "/dest") == Self.bytes.count)
            #expect(FileManager.default.contents(atPath: dir + "/dest") == Data(Self.bytes))
            #expect(!queue.contains(Self.name))
        }
    }

    enum Mismatch: String, CaseIterable, Sendable { case repository, cluster, content, truncated, metadata }

    @Test("given a queued segment that no longer matches, when taken, then nothing is served and the entry is dropped", arguments: Mismatch.allCases)
    func takeRefusesMismatch(mismatch: Mismatch) async throws {
        try await withTemporaryDirectory { dir in
            let queue = WALFetchQueue(directory: dir + "/queue")
            try queue.add(Self.bytes, entry: Self.entry, name: Self.name)
            var repository = "file:///repo", system = "42"
            let data = dir + "/queue/" + Self.name.description
            switch mismatch {
            case .repository: repository = "s3://other"
            case .cluster: system = "43"
            case .content: try Data("segment fivE".utf8).write(to: URL(fileURLWithPath: data))
            case .truncated: try Data("segment".utf8).write(to: URL(fileURLWithPath: data))
            case .metadata: try Data("{".utf8).write(to: URL(fileURLWithPath: data + ".json"))
            }
            #expect(queue.take(Self.name, repository: repository, systemIdentifier: system, to: dir + "/dest") == nil)
            #expect(!FileManager.default.fileExists(atPath: dir + "/dest"))
            #expect(!queue.contains(Self.name))
        }
    }

    @Test("given queued segments, when PostgreSQL asks for a later one, then the ones it went past are swept and later ones kept")
    func sweepBefore() async throws {
        try await withTemporaryDirectory { dir in
            let queue = WALFetchQueue(directory: dir + "/queue")
            for number in [3, 4, 6, 7] as [UInt64] {
                let name = WALFileName(timeline: 1, segmentNumber: number)
                var entry = Self.entry
                entry.name = name.description
                try queue.add(Self.bytes, entry: entry, name: name)
            }
            queue.sweep(before: WALFileName(timeline: 1, segmentNumber: 6))
            #expect(([3, 4, 6, 7] as [UInt64]).map { queue.contains(WALFileName(timeline: 1, segmentNumber: $0)) } == [false, false, true, true])
            queue.clear()
            #expect(!FileManager.default.fileExists(atPath: dir + "/queue"))
        }
    }

    @Test("given acknowledgements, when PostgreSQL no longer lists a file as ready, then its acknowledgement is swept; a torn one reads as none")
    func spoolSweep() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/pg_wal/archive_status", withIntermediateDirectories: true)
            for name in ["000000010000000000000005.ready", "000000010000000000000006.done", "00000002.history.ready", "junk.ready"] {
                _ = FileManager.default.createFile(atPath: dir + "/pg_wal/archive_status/" + name, contents: Data())
            }
            let spool = WALPushSpool(dataDirectory: dir)
            let ready = spool.readyFiles(segmentSize: WALFileName.defaultSegmentSize)
            #expect(ready.map(\.description) == ["000000010000000000000005", "00000002.history"])
            for number in [5, 6] as [UInt64] {
                try spool.record(.init(name: WALFileName(timeline: 1, segmentNumber: number).description, sha256: "x", bytes: 1, repository: "r", systemIdentifier: "s"))
            }
            spool.sweep(ready: Set(ready.map(\.description)))
            #expect(spool.hasAcknowledgement(WALFileName(timeline: 1, segmentNumber: 5)))
            #expect(!spool.hasAcknowledgement(WALFileName(timeline: 1, segmentNumber: 6)))
            try Data("{\"name\":".utf8).write(to: URL(fileURLWithPath: spool.directory + "/000000010000000000000005.ok"))
            #expect(spool.acknowledgement(of: WALFileName(timeline: 1, segmentNumber: 5)) == nil)
        }
    }
}
