import Foundation

/// The record that a repository's physical side belongs to one cluster: `clusters/cluster.json`, written by the first
/// base backup, WAL push or WAL stream and never replaced. Every later physical write compares with it, so WAL and
/// base backups of another cluster (a second server pointed at the same bucket, a re-initialised cluster, a new major
/// version) are refused with a message that names both clusters.
public enum ClusterClaim {
    /// Where the claim is stored.
    public static let path = Repository.clustersFolder + "cluster.json"

    /// Claims `repository` for `identity`, or checks that it already belongs to it.
    public static func ensure(_ identity: ClusterIdentity, in repository: Repository) async throws {
        if let owner = try await owner(of: repository) {
            try check(owner, against: identity, in: repository)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try await repository.storage.writeAll(path: path, bytes: Array(try encoder.encode(identity)) + [0x0A], createOnly: true)
        } catch let error as LifeboatError where error.code == .alreadyExists {
            guard let owner = try await owner(of: repository) else { throw error }
            try check(owner, against: identity, in: repository)
        }
    }

    /// The cluster the repository belongs to, or nil when nothing physical was stored yet.
    public static func owner(of repository: Repository) async throws -> ClusterIdentity? {
        guard try await repository.storage.head(path: path) != nil else { return nil }
        let bytes = try await repository.storage.readAll(path: path)
        do {
            return try JSONDecoder().decode(ClusterIdentity.self, from: Data(bytes))
        } catch {
            throw LifeboatError(.integrity, "\(path) in \(repository.storage.location) is not a valid cluster record: \(error)")
        }
    }

    private static func check(_ owner: ClusterIdentity, against identity: ClusterIdentity, in repository: Repository) throws {
        guard owner.systemIdentifier == identity.systemIdentifier, owner.majorVersion == identity.majorVersion else {
            throw LifeboatError(
                .conflict,
                "the repository \(repository.storage.location) belongs to cluster \(owner), but this server is \(identity); its base backups and WAL are never mixed",
                hint: "give each cluster its own repository (another bucket prefix or path); after initdb or a major upgrade, start a new repository")
        }
    }
}
