import Foundation
import Logging

/// Applies retention to a repository — logical and base backups, then the WAL archive — and clears what interrupted
/// runs left behind.
public struct Pruner: Sendable {
    /// What a prune decided (and, unless a dry run, did).
    public struct Report: Sendable {
        /// One decision per backup.
        public var decisions: [RetentionDecision]
        /// Backup folders without a manifest: (id, folder, reason, removed?).
        public var garbage: [(id: String, folder: String, reason: String, remove: Bool)]
        /// Unfinished uploads: (path, reason, remove?).
        public var uploads: [(path: String, reason: String, remove: Bool)]
        /// One decision per archived WAL file (empty when the repository holds no WAL).
        public var wal: [WALRetentionDecision]
        /// Whether nothing was changed.
        public var dryRun: Bool
        /// Backups deleted (or that would be).
        public var deleted: Int { decisions.filter { !$0.keep }.count }
        /// Backups kept.
        public var kept: Int { decisions.filter(\.keep).count }
        /// WAL files deleted (or that would be).
        public var walDeleted: Int { wal.filter { !$0.keep }.count }
    }

    /// The repository pruned.
    public let repository: Repository
    /// Logger.
    public let logger: Logger

    /// Creates a pruner.
    public init(repository: Repository, logger: Logger) {
        self.repository = repository
        self.logger = logger
    }

    /// Plans and (unless `dryRun`) applies. `grace` is how old an object without a manifest must be before it
    /// counts as garbage; it must exceed the longest backup, or a running backup would be destroyed. `pitrWindow`
    /// is how far back point-in-time recovery must reach (see `WALRetentionPlanner`); `keyring` reads encrypted
    /// timeline history files (without it their timelines' WAL is kept, as of unknown ancestry).
    public func prune(
        policy: RetentionPolicy, grace: TimeInterval, dryRun: Bool, now: Date = Date(), pitrWindow: TimeInterval? = nil,
        keyring: EncryptionKeyring? = nil
    ) async throws -> Report {
        guard !policy.isEmpty else {
            throw LifeboatError(.invalidInput, "no retention rule given: prune would have nothing to decide by", hint: "set at least one of --keep-last, --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly, --max-age")
        }
        let manifests = try await repository.backups()
        var candidates: [RetentionCandidate] = []
        for manifest in manifests {
            let verification = try await repository.verification(id: manifest.id)
            candidates.append(RetentionCandidate(id: manifest.id, kind: manifest.kind, databases: manifest.databases.map(\.name), startedAt: manifest.startedAt, good: verification?.ok ?? true))
        }
        let decisions = RetentionPlanner.plan(candidates, policy: policy, now: now)
        let wal = try await planWAL(manifests: manifests, decisions: decisions, pitrWindow: pitrWindow, keyring: keyring, now: now)
        let garbage = try await findGarbage(known: Set(manifests.map { Repository.folder(of: $0) }), ids: Set(manifests.map(\.id)), grace: grace, now: now)
        var uploads: [(IncompleteUpload, String, Bool)] = []
        for prefix in [Repository.backupsFolder, Repository.clustersFolder] {
            uploads += try await repository.storage.incompleteUploads(prefix: prefix).map { upload in
                let age = now.timeIntervalSince(upload.started)
                return age > grace ? (upload, "unfinished upload started \(ByteFormat.duration(age)) ago", true) : (upload, "upload in progress (\(ByteFormat.duration(age)) old)", false)
            }
        }
        if !dryRun {
            let byID = Dictionary(manifests.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for decision in decisions where !decision.keep {
                logger.info("deleting backup", metadata: ["backup.id": "\(decision.id)", "reason": "\(decision.reasons.joined(separator: "; "))"])
                guard let manifest = byID[decision.id] else { continue }
                try await repository.delete(manifest)
                if manifest.kind == .base {
                    // Its verification record lives under backups/<id>/.
                    try await repository.storage.delete(paths: try await repository.storage.list(prefix: Repository.backupsFolder + manifest.id + "/").map(\.path))
                }
            }
            // WAL goes only after the backups it was planned against are gone.
            if let identity = try await ClusterClaim.owner(of: repository) {
                let archive = WALArchive(repository: repository, identity: identity)
                let paths = wal.filter { !$0.keep }.map { archive.path($0.name) }
                if !paths.isEmpty {
                    logger.info("deleting WAL", metadata: ["wal.files": "\(paths.count)"])
                    try await repository.storage.delete(paths: paths)
                }
            }
            for entry in garbage where entry.remove {
                try await repository.storage.delete(paths: try await repository.storage.list(prefix: entry.folder).map(\.path))
            }
            for (upload, _, remove) in uploads where remove {
                try await repository.storage.abort(upload)
            }
        }
        return Report(decisions: decisions, garbage: garbage, uploads: uploads.map { ($0.0.path, $0.1, $0.2) }, wal: wal, dryRun: dryRun)
    }

    /// The WAL plan of the repository's cluster (empty when nothing physical was ever stored).
    private func planWAL(
        manifests: [BackupManifest], decisions: [RetentionDecision], pitrWindow: TimeInterval?, keyring: EncryptionKeyring?, now: Date
    ) async throws -> [WALRetentionDecision] {
        guard let identity = try await ClusterClaim.owner(of: repository) else { return [] }
        let archive = WALArchive(repository: repository, identity: identity)
        let files = try await archive.list()
        guard !files.isEmpty else { return [] }
        let keep = Dictionary(decisions.map { ($0.id, $0.keep) }, uniquingKeysWith: { first, _ in first })
        let backups = manifests.compactMap { manifest -> WALRetentionBackup? in
            guard manifest.kind == .base, let physical = manifest.physical, physical.systemIdentifier == identity.systemIdentifier,
                  manifest.serverVersionNumber / 10000 == identity.majorVersion else { return nil }
            return WALRetentionBackup(id: manifest.id, timeline: physical.timeline, startLSN: physical.startLSN, stopLSN: physical.stopLSN,
                                      startedAt: manifest.startedAt, keep: keep[manifest.id] ?? true)
        }
        var histories: [UInt32: TimelineHistory] = [:]
        for file in files where file.name.kind == .history {
            do {
                histories[file.name.timeline] = try await archive.history(timeline: file.name.timeline, keyring: keyring)
            } catch {
                // Unreadable (e.g. encrypted and no key given): its timeline counts as of unknown ancestry and is kept.
                logger.warning("cannot read a timeline history file; its timeline's WAL is kept", metadata: ["wal.name": "\(file.name)", "error": "\(error)"])
            }
        }
        return WALRetentionPlanner.plan(files: files.map(\.name), backups: backups, histories: histories, pitrWindow: pitrWindow, now: now, segmentSize: identity.walSegmentSize)
    }

    /// Folders with objects but no manifest: interrupted backups, or backups still running.
    /// `backups/<id>/` of a known id is not garbage even for a base backup (its verification record lives there).
    private func findGarbage(known: Set<String>, ids: Set<String>, grace: TimeInterval, now: Date) async throws -> [(id: String, folder: String, reason: String, remove: Bool)] {
        var newestWrite: [String: (id: String, date: Date)] = [:]
        for object in try await repository.storage.list(prefix: Repository.backupsFolder) {
            let rest = object.path.dropFirst(Repository.backupsFolder.count)
            guard let id = rest.split(separator: "/").first.map(String.init) else { continue }
            let folder = Repository.backupsFolder + id + "/"
            guard !ids.contains(id) else { continue }
            newestWrite[folder] = (id, max(newestWrite[folder]?.date ?? .distantPast, object.modified))
        }
        for object in try await repository.storage.list(prefix: Repository.clustersFolder) where Repository.isBaseBackupObject(object.path) {
            // clusters/<cluster>/<timeline>/base/<id>/<object>
            let parts = object.path.split(separator: "/")
            let folder = parts.prefix(5).joined(separator: "/") + "/"
            guard !known.contains(folder) else { continue }
            newestWrite[folder] = (String(parts[4]), max(newestWrite[folder]?.date ?? .distantPast, object.modified))
        }
        return newestWrite.sorted { $0.key < $1.key }.map { folder, entry in
            let age = now.timeIntervalSince(entry.date)
            return age > grace
                ? (entry.id, folder, "no manifest, last written \(ByteFormat.duration(age)) ago (grace \(DurationText.format(grace))): an interrupted backup", true)
                : (entry.id, folder, "no manifest yet, last written \(ByteFormat.duration(age)) ago: may still be running", false)
        }
    }
}
