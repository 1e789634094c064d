@testable import BackupEngine
import Foundation
import Testing

@Suite("Manifest encoding and the file storage's create-only rule")
struct ManifestTests {
    static func sample(id: String = "20261121T020000Z-logical-abcdef") -> BackupManifest {
        BackupManifest(
            id: id, kind: .logical, startedAt: Date(timeIntervalSince1970: 1_763_690_400.125), finishedAt: Date(timeIntervalSince1970: 1_763_690_462.5),
            serverVersion: "15.18", serverVersionNumber: 150018, toolVersion: "pg_dump (PostgreSQL) 15.18",
            databases: [.init(name: "app", format: "custom", rowCounts: ["public.t": 3], snapshot: "00000003-00000002-1")],
            objects: [.init(name: "db0-app.pgdump.zst", role: "dump", database: "app", plainBytes: 100, storedBytes: 40, sha256: String(repeating: "a", count: 64))],
            compression: "zstd", compressionLevel: 3, encryptionKeyId: nil, options: .init())
    }

    @Test("given a manifest, when encoded and decoded, then it is unchanged and times keep milliseconds")
    func roundTrip() throws {
        let manifest = Self.sample()
        let bytes = try manifest.encoded()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"startedAt\" : \"2025-11-21T02:00:00.125Z\""))
        #expect(text.contains("\"formatVersion\" : 1"))
        #expect(try BackupManifest.decode(bytes, path: "m") == manifest)
    }

    @Test("given a manifest from a newer format, when decoded, then it is refused with an upgrade hint")
    func newerFormatRefused() throws {
        var text = String(decoding: try Self.sample().encoded(), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2")
        #expect { try BackupManifest.decode(Array(text.utf8), path: "backups/x/manifest.json") } throws: { error in
            (error as? LifeboatError)?.hint?.contains("upgrade") == true
        }
    }

    @Test("given garbage where a manifest should be, when decoded, then an integrity error names the path")
    func garbageRefused() {
        #expect { try BackupManifest.decode(Array("{not json".utf8), path: "backups/x/manifest.json") } throws: { error in
            let failure = error as? LifeboatError
            return failure?.code == .integrity && failure?.message.contains("backups/x/manifest.json") == true
        }
    }

    @Test("given a published manifest, when another writer publishes the same id, then it fails and the first is intact")
    func createOnly() async throws {
        let root = try TemporaryFiles.makeDirectory(prefix: "lifeboat-unit")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = Repository(storage: try FileStorage(root: root))
        try await repository.publish(Self.sample())
        var other = Self.sample()
        other.serverVersion = "16.0"
        await #expect(throws: LifeboatError.self) { try await repository.publish(other) }
        #expect(try await repository.manifest(id: Self.sample().id).serverVersion == "15.18")
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    @Test("given an aborted writer, then no object appears under the final name and the partial file is gone")
    func abortedWriter() async throws {
        let root = try TemporaryFiles.makeDirectory(prefix: "lifeboat-unit")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let storage = try FileStorage(root: root)
        let writer = try await storage.makeWriter(path: "backups/x/obj", createOnly: true)
        try await writer.write([1, 2, 3])
        #expect(try await storage.incompleteUploads(prefix: "backups/").count == 1)
        #expect(try await storage.list(prefix: "backups/").isEmpty)
        await writer.abort()
        #expect(try await storage.head(path: "backups/x/obj") == nil)
        #expect(try await storage.incompleteUploads(prefix: "backups/").isEmpty)
    }
}
