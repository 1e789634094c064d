import Foundation

/// Waits until the WAL a base backup needs is in the repository: taken with `-X none`, a base backup is complete only
/// once every segment from the one holding its start LSN to the one holding its stop LSN is archived.
public struct BaseBackupWALWaiter: Sendable {
    /// The archive to watch.
    public let archive: WALArchive
    /// The longest wait.
    public let timeout: TimeInterval
    /// Time between looks at the archive.
    public let pollInterval: TimeInterval

    /// Creates a waiter.
    public init(archive: WALArchive, timeout: TimeInterval, pollInterval: TimeInterval = 1) {
        self.archive = archive
        self.timeout = timeout
        self.pollInterval = pollInterval
    }

    /// The segment names from `start` to `stop` (inclusive) on `timeline`.
    public static func requiredSegments(timeline: UInt32, start: LSN, stop: LSN, segmentSize: UInt64) -> [WALFileName] {
        let first = WALFileName.segment(containing: start, timeline: timeline, segmentSize: segmentSize)
        let last = WALFileName.segment(containing: stop, timeline: timeline, segmentSize: segmentSize)
        var names: [WALFileName] = []
        var name = first
        while name.segmentNumber <= last.segmentNumber {
            names.append(name)
            name = name.next
        }
        return names
    }

    /// Returns once every name in `names` is archived; throws a `.walTimeout` error naming the first missing one when
    /// `timeout` passes first. `purpose` says what the WAL is for, in the message.
    /// `onWaiting` is told once, when the first look finds files missing (the first missing one and how many).
    public func waitFor(_ names: [WALFileName], purpose: String, onWaiting: (@Sendable (WALFileName, Int) -> Void)? = nil) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        // One listing first (a long backup may need many segments), then a HEAD per file still missing: usually one or two.
        let present = try await presentNames(timelines: Set(names.map(\.timeline)))
        var missing = names.filter { !present.contains($0.description) }
        if let first = missing.first { onWaiting?(first, missing.count) }
        while true {
            var stillMissing: [WALFileName] = []
            for name in missing where try await archive.repository.storage.head(path: archive.path(name)) == nil {
                stillMissing.append(name)
            }
            missing = stillMissing
            if missing.isEmpty { return }
            if Date() >= deadline { break }
            try await Task.sleep(nanoseconds: UInt64(max(0.05, min(pollInterval, deadline.timeIntervalSinceNow)) * 1e9))
        }
        let first = missing[0]
        throw LifeboatError(
            .walTimeout,
            "\(first) (\(missing.count) of the \(names.count) WAL files \(purpose)) did not reach \(archive.repository.storage.location) within \(DurationText.format(timeout.rounded(.up)))",
            hint: "the server must be archiving into this repository: archive_command = 'lifeboat wal-push %p' with archive_mode = on (see pg_stat_archiver's failed_count and last_failed_wal), or a running `lifeboat wal-stream`; raise --wal-timeout if archiving is only slow")
    }

    /// Names archived on the given timelines.
    private func presentNames(timelines: Set<UInt32>) async throws -> Set<String> {
        var names = Set<String>()
        for timeline in timelines {
            for file in try await archive.list(timeline: timeline) { names.insert(file.name.description) }
        }
        return names
    }
}

extension LifeboatError.Code {
    /// WAL a backup needs did not reach the repository in time (exit status 1: the server or its archiving failed).
    public static let walTimeout = LifeboatError.Code(rawValue: "wal-timeout")
}
