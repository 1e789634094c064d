import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("WAL archive: create-only push, never overwritten, on a directory and on S3", .serialized)
struct WALArchiveTests {
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15, walSegmentSize: 1 << 20)
    static let other = ClusterIdentity(systemIdentifier: "7399999999999999999", majorVersion: 15, walSegmentSize: 1 << 20)

    enum Backend: String, CaseIterable, Sendable { case directory, s3 }

    /// Runs `body` with an empty repository on `backend`.
    static func withRepository(_ backend: Backend, _ body: (Repository) async throws -> Void) async throws {
        switch backend {
        case .directory:
            try await withTemporaryDirectory { dir in try await body(Repository(storage: try FileStorage(root: dir + "/repo"))) }
        case .s3:
            try await withMotoServer(buckets: ["wal"]) { moto in
                let storage = try S3Storage(bucket: "wal", prefix: "prod", settings: S3Settings(endpoint: moto.endpoint.absoluteString),
                                            environment: ["AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey],
                                            logger: .init(label: "test"))
                try await body(Repository(storage: storage))
            }
        }
    }

    @Test("given a segment, when pushed, pushed again, and pushed with other content, then stored, alreadyArchived, and a conflict that leaves the first intact",
          arguments: Backend.allCases)
    func createOnly(backend: Backend) async throws {
        try await Self.withRepository(backend) { repository in
            let archive = WALArchive(repository: repository, identity: Self.identity)
            let name = try #require(WALFileName("000000010000000000000005", segmentSize: 1 << 20))
            let first = SyntheticWAL.segment(system: 7_301_234_567_890_123_456, number: 5, segmentSize: 1 << 20, seed: 1)
            let second = SyntheticWAL.segment(system: 7_301_234_567_890_123_456, number: 5, segmentSize: 1 << 20, seed: 2)
            let options = try SyntheticWAL.options(.zstd, key: SyntheticWAL.key)
            guard case .stored(let stored) = try await archive.push(name, plain: first, options: options) else {
                Issue.record("the first push did not store")
                return
            }
            #expect(stored > 0)
            #expect(archive.path(name) == "clusters/7301234567890123456-pg15/00000001/wal/000000010000000000000005")
            let before = try await repository.storage.readAll(path: archive.path(name))
            // Encrypted bytes differ on every push: the same content is recognised by its plaintext checksum.
            #expect(try await archive.push(name, plain: first, options: options) == .alreadyArchived)
            await #expect {
                try await archive.push(name, plain: second, options: options)
            } throws: { error in
                guard let error = error as? LifeboatError else { return false }
                return error.code == .conflict && error.message.contains("000000010000000000000005") && error.message.contains("never overwritten")
            }
            #expect(try await repository.storage.readAll(path: archive.path(name)) == before, "the archived object was replaced")
            let keyring = EncryptionKeyring(current: SyntheticWAL.key)
            #expect(try await archive.fetch(name, keyring: keyring) == first)
            #expect(try await archive.fetch(name.next, keyring: keyring) == nil, "an absent segment is nil, not an error")
            #expect(try await archive.list().map(\.name.description) == ["000000010000000000000005"])
            #expect(try await repository.storage.incompleteUploads(prefix: "").isEmpty)
        }
    }

    @Test("given history files, when pushed and read back, then the history is parsed; a missing one is nil", arguments: Backend.allCases)
    func historyFiles(backend: Backend) async throws {
        try await Self.withRepository(backend) { repository in
            let archive = WALArchive(repository: repository, identity: Self.identity)
            let text = "1\t0/3000158\tno recovery target specified\n"
            #expect(try await archive.push(.history(timeline: 2), plain: Array(text.utf8), options: try SyntheticWAL.options()) != .alreadyArchived)
            let history = try #require(try await archive.history(timeline: 2, keyring: nil))
            #expect(history.lineage == [1, 2])
            #expect(try await archive.history(timeline: 3, keyring: nil) == nil)
        }
    }

    @Test("given a repository claimed by one cluster, when another cluster claims it, then it is refused naming both; the owner may claim again",
          arguments: Backend.allCases)
    func claimRefusesAnotherCluster(backend: Backend) async throws {
        try await Self.withRepository(backend) { repository in
            #expect(try await ClusterClaim.owner(of: repository) == nil)
            try await ClusterClaim.ensure(Self.identity, in: repository)
            try await ClusterClaim.ensure(Self.identity, in: repository)
            #expect(try await ClusterClaim.owner(of: repository) == Self.identity)
            for intruder in [Self.other, ClusterIdentity(systemIdentifier: Self.identity.systemIdentifier, majorVersion: 16)] {
                await #expect {
                    try await ClusterClaim.ensure(intruder, in: repository)
                } throws: { error in
                    guard let error = error as? LifeboatError else { return false }
                    return error.code == .conflict && error.message.contains(Self.identity.description) && error.message.contains(intruder.description)
                }
            }
        }
    }

    @Test("given pushers racing on one segment with different content, then exactly one stores and the others get a conflict",
          arguments: Backend.allCases)
    func racingPushers(backend: Backend) async throws {
        try await Self.withRepository(backend) { repository in
            let archive = WALArchive(repository: repository, identity: Self.identity)
            let name = try #require(WALFileName("000000010000000000000007", segmentSize: 1 << 20))
            let contents = (1...4).map { SyntheticWAL.segment(system: 1, number: 7, segmentSize: 1 << 20, seed: UInt64($0)) }
            let options = try SyntheticWAL.options()
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for (index, plain) in contents.enumerated() {
                    group.addTask { (index, (try? await archive.push(name, plain: plain, options: options)) != nil) }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            let winners = outcomes.filter(\.value).map(\.key)
            #expect(winners.count == 1, "winners: \(winners)")
            let winner = try #require(winners.first)
            #expect(try await archive.fetch(name, keyring: nil) == contents[winner])
        }
    }
}
