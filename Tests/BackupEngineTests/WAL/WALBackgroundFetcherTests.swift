import BackupEngine
import Foundation
import LifeboatTesting
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("The background fetcher of wal-fetch --async: reads ahead of the latest request, stops at the archive's end, leaves with recovery")
struct WALBackgroundFetcherTests {
    static let segmentSize: UInt64 = 1 << 20
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15, walSegmentSize: segmentSize)

    static func name(_ number: UInt64) -> WALFileName { WALFileName(timeline: 1, segmentNumber: number, segmentSize: segmentSize) }

    /// Waits up to 10 s for `condition`.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test("given segments 1-6 archived and a data directory in recovery, when requests move from 1 to 3, then 2-4 and then 4-6 are queued (7 is absent), passed entries are swept, a queued one is served verified, and once recovery.signal goes the fetcher exits and removes the queue")
    func readsAheadAndLeaves() async throws {
        try await withTemporaryDirectory { dir in
            let repository = Repository(storage: try FileStorage(root: dir + "/repo"))
            let archive = WALArchive(repository: repository, identity: Self.identity)
            let options = try SyntheticWAL.options(.zstd)
            var plain: [UInt64: [UInt8]] = [:]
            for number in 1...6 {
                plain[UInt64(number)] = SyntheticWAL.segment(system: 7_301_234_567_890_123_456, number: UInt64(number), segmentSize: Self.segmentSize)
                _ = try await archive.push(Self.name(UInt64(number)), plain: plain[UInt64(number)]!, options: options)
            }
            let data = dir + "/pgdata"
            try FileManager.default.createDirectory(atPath: data + "/pg_wal", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: data + "/recovery.signal", contents: nil))
            let fetcher = WALFetcher(repository: repository, identity: Self.identity, keyring: nil, dataDirectory: data,
                                     settings: WALFetchSettings(attempts: 1, prefetch: 3), logger: Logger(label: "test"))
            let queue = fetcher.queue
            try queue.recordRequest(Self.name(1))
            let background = Task { try await WALBackgroundFetcher(fetcher: fetcher, parallel: 2, idleExit: .seconds(30)).run() }

            #expect(await Self.eventually { (2...4).allSatisfy { queue.contains(Self.name($0)) } })
            #expect(await Self.eventually { ExclusiveFileLock.isHeld(queue.lockPath) })
            #expect(!queue.contains(Self.name(5)), "read ahead further than --prefetch")

            try queue.recordRequest(Self.name(3))
            #expect(await Self.eventually { (4...6).allSatisfy { queue.contains(Self.name($0)) } })
            #expect(await Self.eventually { !queue.contains(Self.name(2)) }, "an entry PostgreSQL went past stays queued")
            try await Task.sleep(for: .milliseconds(300))
            #expect(!queue.contains(Self.name(7)), "segment 7 is not archived")

            let served = try await fetcher.fetchWithBackground(Self.name(4).description, to: dir + "/dest") {
                Issue.record("a background fetcher runs: none must be started")
            }
            #expect(served == .restored(bytes: Int(Self.segmentSize), source: .queue))
            #expect(FileManager.default.contents(atPath: dir + "/dest") == Data(plain[4]!))

            try FileManager.default.removeItem(atPath: data + "/recovery.signal")
            let queued = try await background.value
            #expect(queued >= 5)
            #expect(!FileManager.default.fileExists(atPath: queue.directory), "the queue outlived the recovery")
        }
    }

    @Test("given a background fetcher already running, when a second one starts on the same queue, then it returns at once without fetching")
    func oneAtATime() async throws {
        try await withTemporaryDirectory { dir in
            let repository = Repository(storage: try FileStorage(root: dir + "/repo"))
            let data = dir + "/pgdata"
            try FileManager.default.createDirectory(atPath: data + "/pg_wal", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: data + "/recovery.signal", contents: nil))
            let fetcher = WALFetcher(repository: repository, identity: Self.identity, keyring: nil, dataDirectory: data,
                                     settings: WALFetchSettings(attempts: 1, prefetch: 2), logger: Logger(label: "test"))
            try FileManager.default.createDirectory(atPath: fetcher.queue.directory, withIntermediateDirectories: true)
            let held = try #require(try ExclusiveFileLock.tryAcquire(fetcher.queue.lockPath))
            let started = ContinuousClock.now
            #expect(try await WALBackgroundFetcher(fetcher: fetcher, idleExit: .seconds(30)).run() == 0)
            #expect(ContinuousClock.now - started < .seconds(5))
            withExtendedLifetime(held) {}
        }
    }

    @Test("given a held lock file, when it is removed or replaced by another file, then the holder sees that it no longer holds the lock at that path")
    func lockFollowsItsFile() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/background.lock"
            let lock = try #require(try ExclusiveFileLock.tryAcquire(path))
            #expect(lock.isStillAtPath)
            #expect(ExclusiveFileLock.isHeld(path))
            try FileManager.default.removeItem(atPath: path)
            #expect(!lock.isStillAtPath)
            #expect(FileManager.default.createFile(atPath: path, contents: nil))
            #expect(!lock.isStillAtPath, "a new file at the same path is not the one locked")
            #expect(!ExclusiveFileLock.isHeld(path))
        }
    }

    @Test("given a background fetcher in a recovering data directory, when no request comes for its idle time, then it exits and empties the queue but keeps its log; when its queue folder is replaced, it exits at once")
    func leavesWhenIdleOrReplaced() async throws {
        try await withTemporaryDirectory { dir in
            let repository = Repository(storage: try FileStorage(root: dir + "/repo"))
            let archive = WALArchive(repository: repository, identity: Self.identity)
            for number in 1...4 {
                _ = try await archive.push(Self.name(UInt64(number)), plain: SyntheticWAL.segment(system: 7_301_234_567_890_123_456, number: UInt64(number),
                                                                                                 segmentSize: Self.segmentSize), options: try SyntheticWAL.options(.zstd))
            }
            let data = dir + "/pgdata"
            try FileManager.default.createDirectory(atPath: data + "/pg_wal", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: data + "/recovery.signal", contents: nil))
            let fetcher = WALFetcher(repository: repository, identity: Self.identity, keyring: nil, dataDirectory: data,
                                     settings: WALFetchSettings(attempts: 1, prefetch: 2), logger: Logger(label: "test"))
            let queue = fetcher.queue
            try queue.recordRequest(Self.name(1))
            #expect(FileManager.default.createFile(atPath: queue.logPath, contents: Data("earlier\n".utf8)))
            let idle = Task { try await WALBackgroundFetcher(fetcher: fetcher, idleExit: .milliseconds(800)).run() }
            #expect(await Self.eventually { queue.contains(Self.name(2)) && queue.contains(Self.name(3)) })
            #expect(try await idle.value == 2)
            #expect(!queue.contains(Self.name(2)) && !queue.contains(Self.name(3)), "queued segments outlived an idle exit")
            #expect(FileManager.default.fileExists(atPath: queue.logPath))

            let replaced = Task { try await WALBackgroundFetcher(fetcher: fetcher, idleExit: .seconds(60)).run() }
            #expect(await Self.eventually { ExclusiveFileLock.isHeld(queue.lockPath) })
            // Moved aside in one step (deleting it could race with the fetcher writing into it), a new one in its place.
            #expect(rename(queue.directory, queue.directory + ".old") == 0)
            try FileManager.default.createDirectory(atPath: queue.directory, withIntermediateDirectories: true)
            let started = ContinuousClock.now
            _ = try await replaced.value
            #expect(ContinuousClock.now - started < .seconds(10), "it kept running after its queue folder was replaced")
        }
    }
}
