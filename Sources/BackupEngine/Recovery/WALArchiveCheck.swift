import Foundation

/// What `lifeboat check` says about the WAL archive on its own (without the server): the recovery window of the
/// newest timeline, gaps per timeline, and when WAL last arrived.
public struct WALArchiveCheck: Sendable {
    /// The outcome.
    public struct Report: Sendable {
        /// The window of the newest timeline; nil when there is no archive.
        public var window: RecoveryWindow?
        /// When the newest archived WAL file was stored.
        public var lastShipped: Date?
        /// Whether the archive has WAL and no gap on the newest timeline's path.
        public var healthy: Bool
        /// What was found, in words a person can act on.
        public var findings: [String]
    }

    /// The archive, or nil when the repository holds nothing physical yet.
    public let archive: WALArchive?
    /// Keys for encrypted history files and segments.
    public let keyring: EncryptionKeyring?
    /// For reading the last segments with pg_waldump; without it the window ends at a segment boundary, with no time.
    public let binaries: PostgresBinaries?

    /// Creates a check.
    public init(archive: WALArchive?, keyring: EncryptionKeyring?, binaries: PostgresBinaries?) {
        self.archive = archive
        self.keyring = keyring
        self.binaries = binaries
    }

    /// Runs the check.
    public func run() async throws -> Report {
        guard let archive else {
            return Report(window: nil, lastShipped: nil, healthy: false, findings: ["no WAL archive in the repository yet: no base backup or WAL of any cluster was stored"])
        }
        let files = try await archive.list()
        let snapshot = try await ArchiveSnapshot.load(archive, keyring: keyring)
        var window = RecoveryWindow(snapshot: snapshot)
        var findings: [String] = []
        if let binaries {
            let planner = RecoveryPlanner(snapshot: snapshot, records: WALInspector(archive: archive, keyring: keyring, binaries: binaries))
            do {
                window = try await planner.inspectEnd(of: window)
            } catch let error as LifeboatError {
                findings.append("could not read the newest archived WAL: \(error.message)")
            }
        }
        let segments = snapshot.segments.values.reduce(0) { $0 + $1.count }
        let lastShipped = files.map(\.modified).max()
        findings.insert(window.summary, at: 0)
        findings.append("\(segments) WAL segments archived for cluster \(archive.identity)" + (lastShipped.map { ", the newest stored \(ByteFormat.duration(max(0, Date().timeIntervalSince($0)))) ago" } ?? ""))
        for gap in window.gaps where !window.gapsOnPath.contains(gap) {
            findings.append("WAL missing on timeline \(gap.timeline), off the current path: \(gap)")
        }
        for (id, why) in window.unusable.sorted(by: { $0.key < $1.key }) {
            findings.append("base backup \(id) cannot be used for point-in-time recovery on timeline \(window.timeline): \(why)")
        }
        findings += window.problems
        let healthy = segments > 0 && window.gapsOnPath.isEmpty && window.problems.isEmpty
        return Report(window: window, lastShipped: lastShipped, healthy: healthy, findings: findings)
    }
}

extension WALArchive {
    /// Whether the file `name` (a WAL file name as PostgreSQL writes it) is in the archive.
    public func isArchived(_ name: String) async throws -> Bool {
        guard let parsed = WALFileName(name, segmentSize: identity.walSegmentSize) else { return false }
        return try await repository.storage.head(path: path(parsed)) != nil
    }
}
