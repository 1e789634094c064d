import Foundation

/// A backup repository: the format of docs/FORMAT.md over any `RepositoryStorage`.
///
/// Layout: `backups/<id>/manifest.json` plus the backup's data objects in the same folder for logical backups;
/// `clusters/<system id>-pg<major>/<timeline>/base/<id>/` for base backups, beside that timeline's `wal/`.
/// A folder without a manifest is not a backup: `list` and `restore` never see it, `prune` removes it
/// after the grace period.
public struct Repository: Sendable {
    public let storage: any RepositoryStorage
    /// Folder of the logical and base backups.
    public static let backupsFolder = "backups/"
    /// Folder of the physical side: one subfolder per cluster (see `ClusterIdentity.folder`).
    public static let clustersFolder = "clusters/"

    /// Wraps a storage backend.
    public init(storage: any RepositoryStorage) {
        self.storage = storage
    }

    /// Where an object of the logical backup `id` lives.
    public func path(backup id: String, object name: String) -> String {
        "\(Self.backupsFolder)\(id)/\(name)"
    }

    /// The folder of a backup: `backups/<id>/`, or for a base backup `clusters/<cluster>/<timeline>/base/<id>/`.
    public static func folder(of manifest: BackupManifest) -> String {
        guard manifest.kind == .base, let physical = manifest.physical else { return "\(backupsFolder)\(manifest.id)/" }
        let identity = ClusterIdentity(systemIdentifier: physical.systemIdentifier, majorVersion: manifest.serverVersionNumber / 10000, walSegmentSize: physical.walSegmentSize)
        return WALArchive.timelineFolder(identity: identity, timeline: physical.timeline) + "base/\(manifest.id)/"
    }

    /// Where an object of the backup described by `manifest` lives.
    public func path(of manifest: BackupManifest, object name: String) -> String {
        Self.folder(of: manifest) + name
    }

    /// All backups (those with a readable manifest), oldest first. Unreadable manifests are reported, not skipped silently.
    public func backups() async throws -> [BackupManifest] {
        let objects = try await storage.list(prefix: Self.backupsFolder) + storage.list(prefix: Self.clustersFolder).filter { Self.isBaseBackupObject($0.path) }
        var manifests: [BackupManifest] = []
        for object in objects where object.path.hasSuffix("/manifest.json") {
            let bytes = try await storage.readAll(path: object.path)
            manifests.append(try BackupManifest.decode(bytes, path: object.path))
        }
        return manifests.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Whether a path under `clusters/` belongs to a base backup folder (`…/<timeline>/base/<id>/…`).
    public static func isBaseBackupObject(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count >= 6 && parts[0] == "clusters" && parts[3] == "base"
    }

    /// The manifest of `id`, or a not-found error listing what exists.
    public func manifest(id: String) async throws -> BackupManifest {
        let path = path(backup: id, object: "manifest.json")
        guard try await storage.head(path: path) != nil else {
            if let base = try await backups().first(where: { $0.id == id }) { return base }
            let known = try await backups().suffix(5).map(\.id)
            throw LifeboatError(
                .notFound, "there is no backup \"\(id)\" in \(storage.location)",
                hint: known.isEmpty ? "the repository has no backups yet" : "recent backups: \(known.joined(separator: ", ")) (see `lifeboat list`)")
        }
        return try BackupManifest.decode(try await storage.readAll(path: path), path: path)
    }

    /// Resolves `latest` (optionally the latest containing `database`) or an id.
    public func resolve(_ selector: String, kind: BackupManifest.Kind = .logical, database: String? = nil) async throws -> BackupManifest {
        guard selector == "latest" else { return try await manifest(id: selector) }
        let candidates = try await backups().filter { manifest in
            manifest.kind == kind && (database == nil || manifest.databases.contains { $0.name == database })
        }
        guard let latest = candidates.last else {
            throw LifeboatError(.notFound, "there is no \(kind.rawValue) backup\(database.map { " of database \"\($0)\"" } ?? "") in \(storage.location)", hint: "take one with `lifeboat backup`")
        }
        return latest
    }

    /// Stores a manifest; fails if one already exists for that id (a backup is never rewritten).
    public func publish(_ manifest: BackupManifest) async throws {
        try await storage.writeAll(path: path(of: manifest, object: "manifest.json"), bytes: try manifest.encoded(), createOnly: true)
    }

    /// The latest verification of a backup, if any.
    public func verification(id: String) async throws -> VerificationRecord? {
        let path = path(backup: id, object: "verification.json")
        guard try await storage.head(path: path) != nil else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(VerificationRecord.self, from: Data(try await storage.readAll(path: path)))
    }

    /// Records a verification outcome.
    public func record(_ verification: VerificationRecord, id: String) async throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try await storage.writeAll(path: path(backup: id, object: "verification.json"), bytes: Array(try encoder.encode(verification)), createOnly: false)
    }

    /// Deletes a backup: the manifest first (so it stops existing at once), then its objects.
    public func delete(_ manifest: BackupManifest) async throws {
        let folder = Self.folder(of: manifest)
        try await storage.delete(paths: [folder + "manifest.json"])
        try await storage.delete(paths: try await storage.list(prefix: folder).map(\.path))
    }

    /// Deletes the folder `backups/<id>/` of a logical backup or of an interrupted one: the manifest first, then the objects.
    public func delete(backup id: String) async throws {
        try await storage.delete(paths: [path(backup: id, object: "manifest.json")])
        let rest = try await storage.list(prefix: "\(Self.backupsFolder)\(id)/").map(\.path)
        try await storage.delete(paths: rest)
    }
}

/// Makes backup ids: `20261121T101500Z-logical-3f9a1c`. They sort by time, and the random tail keeps two
/// backups started in the same second apart.
public enum BackupID {
    /// A new id for a backup of `kind` started at `date`.
    public static func make(kind: BackupManifest.Kind, at date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        let tail = String(format: "%06x", UInt32.random(in: 0..<0x1000000))
        return "\(stamp)-\(kind.rawValue)-\(tail)"
    }

    /// A file-name-safe form of a database name, unique within a backup thanks to the index.
    public static func objectStem(database: String, index: Int) -> String {
        let safe = database.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "_-.".unicodeScalars.contains(scalar) ? Character(scalar) : "_"
        }
        return "db\(index)-" + String(safe.prefix(60))
    }
}
