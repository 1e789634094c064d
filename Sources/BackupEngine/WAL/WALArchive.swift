import Foundation

/// The WAL archive of one cluster inside a repository (layout in docs/FORMAT.md):
/// `clusters/<system identifier>-pg<major>/<timeline>/wal/<WAL file name>`, one object per archived file, created
/// only if absent and never replaced.
public struct WALArchive: Sendable {
    /// The repository holding the archive.
    public let repository: Repository
    /// The cluster whose WAL this is.
    public let identity: ClusterIdentity

    /// An archive of `identity`'s WAL in `repository`.
    public init(repository: Repository, identity: ClusterIdentity) {
        self.repository = repository
        self.identity = identity
    }

    /// The folder of one timeline: `clusters/<cluster>/<TTTTTTTT>/`.
    public func timelineFolder(_ timeline: UInt32) -> String {
        Self.timelineFolder(identity: identity, timeline: timeline)
    }

    /// The folder of one timeline of a cluster.
    public static func timelineFolder(identity: ClusterIdentity, timeline: UInt32) -> String {
        identity.folder + WALFileName.history(timeline: timeline).description.prefix(8) + "/"
    }

    /// Where a WAL file is stored.
    public func path(_ name: WALFileName) -> String {
        timelineFolder(name.timeline) + "wal/" + name.description
    }

    /// What a push did.
    public enum PushOutcome: Sendable, Hashable {
        /// The file was stored (now durable); `storedBytes` as written.
        case stored(storedBytes: Int)
        /// The same content was archived before; nothing was written.
        case alreadyArchived
    }

    /// Stores a WAL file, created only if absent. Returns only when it is durable.
    ///
    /// The same content pushed again succeeds (`alreadyArchived`); different content under an existing name throws a
    /// `.conflict` error and never overwrites. Two racing pushers both try a create-only write: one wins, the other
    /// compares checksums like a later push would. `digest` is `plain`'s SHA-256 (hex) when the caller already has it.
    public func push(_ name: WALFileName, plain: [UInt8], options: DataPathOptions, digest: String? = nil) async throws -> PushOutcome {
        let path = path(name)
        let digest = digest ?? WALObject.sha256(plain)
        if let existing = try await existingHeader(path: path) {
            return try compare(existing, with: plain, digest: digest, name: name, path: path)
        }
        let stored = try WALObject.encode(plain, name: name.description, path: path, options: options, digest: digest)
        do {
            try await repository.storage.writeAll(path: path, bytes: stored, createOnly: true)
            return .stored(storedBytes: stored.count)
        } catch let error as LifeboatError where error.code == .alreadyExists {
            guard let existing = try await existingHeader(path: path) else { throw error }
            return try compare(existing, with: plain, digest: digest, name: name, path: path)
        }
    }

    /// The decoded, checksum-verified bytes of a WAL file, or nil when the repository confirms it is absent.
    /// Every other failure (unreachable, denied, damaged) throws.
    public func fetch(_ name: WALFileName, keyring: EncryptionKeyring?) async throws -> [UInt8]? {
        let path = path(name)
        guard try await repository.storage.head(path: path) != nil else { return nil }
        let stored: [UInt8]
        do {
            stored = try await repository.storage.readAll(path: path)
        } catch let error as LifeboatError where error.code == .notFound {
            return nil
        }
        return try WALObject.decode(stored, path: path, keyring: keyring)
    }

    /// Every archived WAL file (optionally of one timeline), in WAL order. Objects that are not WAL names are ignored.
    public func list(timeline: UInt32? = nil) async throws -> [ArchivedWALFile] {
        let prefix = timeline.map { timelineFolder($0) + "wal/" } ?? identity.folder
        return try await repository.storage.list(prefix: prefix).compactMap { object -> ArchivedWALFile? in
            let parts = object.path.split(separator: "/")
            guard parts.count >= 2, parts[parts.count - 2] == "wal",
                  let name = WALFileName(String(parts[parts.count - 1]), segmentSize: identity.walSegmentSize) else { return nil }
            return ArchivedWALFile(name: name, path: object.path, storedBytes: object.size, modified: object.modified)
        }.sorted { $0.name < $1.name }
    }

    /// The parsed history file of `timeline`, or nil when it is not archived (timeline 1 has none).
    public func history(timeline: UInt32, keyring: EncryptionKeyring?) async throws -> TimelineHistory? {
        guard let bytes = try await fetch(.history(timeline: timeline), keyring: keyring) else { return nil }
        return try TimelineHistory(timeline: timeline, text: String(decoding: bytes, as: UTF8.self))
    }

    private func existingHeader(path: String) async throws -> WALObject.Header? {
        guard try await repository.storage.head(path: path) != nil else { return nil }
        // The header is in the first bytes; small objects are read whole, which is simplest on every backend.
        let stored = try await repository.storage.readAll(path: path)
        return try WALObject.header(of: stored, path: path).0
    }

    private func compare(_ existing: WALObject.Header, with plain: [UInt8], digest: String, name: WALFileName, path: String) throws -> PushOutcome {
        guard existing.sha256 == digest, existing.bytes == Int64(plain.count) else {
            throw LifeboatError(
                .conflict,
                "\(name) is already archived in \(repository.storage.location) with different content (SHA-256 \(existing.sha256), \(existing.bytes) bytes; this file: \(digest), \(plain.count) bytes); it is never overwritten",
                hint: "two servers may be archiving into the same repository, or a restored server reused a timeline; give each cluster its own repository and check `lifeboat check`")
        }
        return .alreadyArchived
    }
}
