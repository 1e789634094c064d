import Foundation
import Logging

/// Applies retention to a repository and clears what interrupted runs left behind.
public struct Pruner: Sendable {
    /// What a prune decided (and, unless a dry run, did).
    public struct Report: Sendable {
        public var decisions: [RetentionDecision]
        /// Backup folders without a manifest: (id, reason, removed?).
        public var garbage: [(id: String, reason: String, remove: Bool)]
        /// Unfinished uploads: (path, reason, remove?).
        public var uploads: [(path: String, reason: String, remove: Bool)]
        public var dryRun: Bool
        /// Backups deleted (or that would be).
        public var deleted: Int { decisions.filter { !$0.keep }.count }
        /// Backups kept.
        public var kept: Int { decisions.filter(\.keep).count }
    }

    public let repository: Repository
    public let logger: Logger

    /// Creates a pruner.
    public init(repository: Repository, logger: Logger) {
        self.repository = repository
        self.logger = logger
    }

    /// Plans and (unless `dryRun`) applies. `grace` is how old an object without a manifest must be before it
    /// counts as garbage; it must exceed the longest backup, or a running backup would be destroyed.
    public func prune(policy: RetentionPolicy, grace: TimeInterval, dryRun: Bool, now: Date = Date()) async throws -> Report {
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

        // Folders with objects but no manifest: interrupted backups, or backups still running.
        let known = Set(manifests.map(\.id))
        let objects = try await repository.storage.list(prefix: Repository.backupsFolder)
        var newestWrite: [String: Date] = [:]
        for object in objects {
            let rest = object.path.dropFirst(Repository.backupsFolder.count)
            guard let id = rest.split(separator: "/").first.map(String.init), !known.contains(id) else { continue }
            newestWrite[id] = max(newestWrite[id] ?? .distantPast, object.modified)
        }
        let garbage = newestWrite.sorted { $0.key < $1.key }.map { id, last -> (id: String, reason: String, remove: Bool) in
            let age = now.timeIntervalSince(last)
            return age > grace
                ? (id, "no manifest, last written \(ByteFormat.duration(age)) ago (grace \(DurationText.format(grace))): an interrupted backup", true)
                : (id, "no manifest yet, last written \(ByteFormat.duration(age)) ago: may still be running", false)
        }
        let uploads = try await repository.storage.incompleteUploads(prefix: Repository.backupsFolder).map { upload -> (IncompleteUpload, String, Bool) in
            let age = now.timeIntervalSince(upload.started)
            return age > grace ? (upload, "unfinished upload started \(ByteFormat.duration(age)) ago", true) : (upload, "upload in progress (\(ByteFormat.duration(age)) old)", false)
        }
        if !dryRun {
            for decision in decisions where !decision.keep {
                logger.info("deleting backup", metadata: ["backup.id": "\(decision.id)", "reason": "\(decision.reasons.joined(separator: "; "))"])
                try await repository.delete(backup: decision.id)
            }
            for entry in garbage where entry.remove {
                try await repository.delete(backup: entry.id)
            }
            for (upload, _, remove) in uploads where remove {
                try await repository.storage.abort(upload)
            }
        }
        return Report(decisions: decisions, garbage: garbage, uploads: uploads.map { ($0.0.path, $0.1, $0.2) }, dryRun: dryRun)
    }
}
