import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("base backups against real PostgreSQL", .serialized)
struct BaseBackupRoundTripTests {
    @Test("given an archiving cluster, when a base backup is taken, then its manifest has the exact start and stop LSN, list shows the range, and it extracts into an empty directory that pg_verifybackup accepts")
    func clientSideRoundTrip() async throws {
        try await ArchivingCluster.with { fixture in
            try await SampleData.load(fixture.cluster, database: "app", rows: 500)
            try await fixture.switchAndWaitArchived()
            let resultFile = fixture.folder + "/result.json"
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "60s", "--result-file", resultFile])
            #expect(run.status == 0, "\(run.output)")
            #expect(run.stdout.contains("base backup "), "\(run.stdout)")

            let manifests = try await fixture.repository.backups()
            let manifest = try #require(manifests.first)
            #expect(manifests.count == 1)
            let physical = try #require(manifest.physical)
            let identity = try await fixture.identity()
            #expect(manifest.kind == .base)
            #expect(physical.systemIdentifier == identity.systemIdentifier)
            #expect(physical.timeline == 1)
            #expect(physical.startLSN < physical.stopLSN)
            #expect(physical.compressionSide == "client")
            #expect(physical.postgresManifest)
            #expect(Set(manifest.objects.map(\.role)) == [BaseBackup.tarRole, BaseBackup.postgresManifestRole])
            #expect(manifest.serverVersionNumber / 10000 == 15)
            #expect(manifest.startedAt <= manifest.finishedAt)

            // The stop LSN is PostgreSQL's own: the backup history file the server archived says the same.
            let archive = WALArchive(repository: fixture.repository, identity: identity)
            let historyName = BaseBackup.backupHistoryName(start: physical.startLSN, timeline: 1, segmentSize: identity.walSegmentSize)
            try await BaseBackupWALWaiter(archive: archive, timeout: 30, pollInterval: 0.2).waitFor([historyName], purpose: "the test's check")
            let history = try BackupLabel(text: String(decoding: try #require(try await archive.fetch(historyName, keyring: nil)), as: UTF8.self), what: "history")
            #expect(history.startLSN == physical.startLSN)
            #expect(history.stopLSN == physical.stopLSN)
            #expect(physical.startWAL == WALFileName.segment(containing: physical.startLSN, timeline: 1, segmentSize: identity.walSegmentSize).description)
            #expect(physical.stopWAL == WALFileName.segment(containing: physical.stopLSN, timeline: 1, segmentSize: identity.walSegmentSize).description)
            let objectFolder = fixture.repositoryPath + "/" + Repository.folder(of: manifest)
            #expect(FileManager.default.fileExists(atPath: objectFolder + "manifest.json"))
            #expect(objectFolder.contains("/clusters/\(identity.systemIdentifier)-pg15/00000001/base/\(manifest.id)/"))

            // The controller's short result.
            let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: resultFile))) as? [String: Any]
            #expect(result?["ok"] as? Bool == true)
            #expect(result?["kind"] as? String == "base")
            #expect(result?["backupId"] as? String == manifest.id)

            let list = try await fixture.cli.run(["list"])
            #expect(list.stdout.contains("timeline 1 \(physical.startLSN)–\(physical.stopLSN)"), "\(list.stdout)")
            let json = try await fixture.cli.run(["list", "--json"])
            let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
            #expect(rows?.first?["startLSN"] as? String == physical.startLSN.description)
            #expect(rows?.first?["stopLSN"] as? String == physical.stopLSN.description)
            #expect(rows?.first?["timeline"] as? Int == 1)

            let target = fixture.folder + "/restored"
            let extracted = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: nil)
            #expect(extracted.verifiedWithPostgresManifest)
            #expect(extracted.files > 500, "a PostgreSQL 15 data directory has about a thousand files, got \(extracted.files)")
            #expect(extracted.plainBytes == manifest.objects.first { $0.role == BaseBackup.tarRole }?.plainBytes)
            let label = try String(contentsOfFile: target + "/backup_label", encoding: .utf8)
            #expect(try BackupLabel(text: label, what: "backup_label").startLSN == physical.startLSN)
            #expect(try String(contentsOfFile: target + "/PG_VERSION", encoding: .utf8).hasPrefix("15"))
            let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
            #expect(mode == 0o700)

            // A directory with something in it is refused, and what is there is named.
            await #expect(throws: LifeboatError.self) {
                try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: nil)
            }
            do {
                _ = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: nil)
            } catch let error as LifeboatError {
                #expect(error.message.contains("is not empty"), "\(error.message)")
                #expect(error.message.contains("PG_VERSION"), "\(error.message)")
            }
        }
    }

    @Test("given a stored base backup with one byte changed, when it is extracted, then an integrity error names the object and the directory is left empty")
    func damagedObjectIsRefused() async throws {
        try await ArchivingCluster.with { fixture in
            try await fixture.switchAndWaitArchived()
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--wal-timeout", "60s"])
            #expect(run.status == 0, "\(run.output)")
            let manifest = try #require(try await fixture.repository.backups().first)
            let object = try #require(manifest.objects.first { $0.role == BaseBackup.tarRole })
            let path = fixture.repositoryPath + "/" + fixture.repository.path(of: manifest, object: object.name)
            var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count / 2] ^= 0x5A
            try Data(bytes).write(to: URL(fileURLWithPath: path))

            let target = fixture.folder + "/restored"
            do {
                _ = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: target, keyring: nil)
                Issue.record("a damaged base backup was extracted")
            } catch let error as LifeboatError {
                #expect(error.code == .integrity, "\(error)")
                #expect(error.message.contains(object.name), "\(error.message)")
            }
            #expect(!FileManager.default.fileExists(atPath: target), "the directory the extractor created is removed again")
        }
    }

    @Test("given server-side compression, when a base backup is taken, then it has no PostgreSQL manifest, its stop LSN comes from the backup history file, and it extracts")
    func serverSideRoundTrip() async throws {
        try await ArchivingCluster.with { fixture in
            try await SampleData.load(fixture.cluster, database: "app", rows: 200)
            try await fixture.switchAndWaitArchived()
            let run = try await fixture.cli.run(["backup", "--kind", "base", "-q", "--compression-side", "server", "--wal-timeout", "60s"])
            #expect(run.status == 0, "\(run.output)")
            let manifest = try #require(try await fixture.repository.backups().first)
            let physical = try #require(manifest.physical)
            #expect(physical.compressionSide == "server")
            #expect(!physical.postgresManifest)
            #expect(manifest.objects.map(\.role) == [BaseBackup.tarRole])
            #expect(manifest.objects.first?.name == "base.tar.zst")
            #expect(physical.startLSN < physical.stopLSN)
            let extracted = try await BaseBackupExtractor(repository: fixture.repository).extract(manifest, into: fixture.folder + "/restored", keyring: nil)
            #expect(!extracted.verifiedWithPostgresManifest)
            #expect(FileManager.default.fileExists(atPath: fixture.folder + "/restored/global/pg_control"))
        }
    }
}
