@testable import BackupEngine
import Foundation
import Testing

@Suite("Base backups: backup_label, backup history files and PostgreSQL's manifest")
struct BackupLabelTests {
    static let label = """
        START WAL LOCATION: 16/B374D848 (file 0000000300000016000000B3)
        CHECKPOINT LOCATION: 16/B374D880
        BACKUP METHOD: streamed
        BACKUP FROM: primary
        START TIME: 2026-11-21 12:54:09 UTC
        LABEL: lifeboat 20261121T125409Z-base-abcdef
        START TIMELINE: 3

        """

    @Test("given backup_label, when parsed, then start LSN, timeline, checkpoint and label are read and there is no stop")
    func backupLabel() throws {
        let parsed = try BackupLabel(text: Self.label, what: "backup_label")
        #expect(parsed.startLSN == LSN("16/B374D848"))
        #expect(parsed.startTimeline == 3)
        #expect(parsed.checkpointLSN == LSN("16/B374D880"))
        #expect(parsed.label == "lifeboat 20261121T125409Z-base-abcdef")
        #expect(parsed.stopLSN == nil)
    }

    @Test("given a backup history file, when parsed, then the stop LSN and stop timeline are read")
    func historyFile() throws {
        let text = Self.label + "STOP WAL LOCATION: 16/B5000100 (file 0000000300000016000000B5)\nSTOP TIME: 2026-11-21 12:55:00 UTC\nSTOP TIMELINE: 3\n"
        let parsed = try BackupLabel(text: text, what: "history")
        #expect(parsed.stopLSN == LSN("16/B5000100"))
        #expect(parsed.stopTimeline == 3)
    }

    @Test("given a label without START TIMELINE, when parsed, then the timeline comes from the segment name")
    func timelineFromSegment() throws {
        let parsed = try BackupLabel(text: "START WAL LOCATION: 0/2000028 (file 000000050000000000000002)\n", what: "old label")
        #expect(parsed.startTimeline == 5)
    }

    @Test("given text without a start location, when parsed, then an integrity error names the file", arguments: ["", "LABEL: x\n", "START WAL LOCATION: nonsense\n"])
    func refused(text: String) {
        #expect(throws: LifeboatError.self) { try BackupLabel(text: text, what: "backup_label of test") }
        do {
            _ = try BackupLabel(text: text, what: "backup_label of test")
        } catch let error as LifeboatError {
            #expect(error.code == .integrity)
            #expect(error.message.contains("backup_label of test"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("given PostgreSQL's backup_manifest, when parsed, then the WAL range gives the stop LSN and files are counted")
    func postgresManifest() throws {
        let json = """
            {"PostgreSQL-Backup-Manifest-Version": 1,
            "Files": [
            { "Path": "backup_label", "Size": 225, "Last-Modified": "2026-11-21 12:54:09 GMT", "Checksum-Algorithm": "CRC32C", "Checksum": "c4b2a1f0" },
            { "Path": "global/pg_control", "Size": 8192, "Last-Modified": "2026-11-21 12:54:09 GMT", "Checksum-Algorithm": "CRC32C", "Checksum": "00ff00ff" }
            ],
            "WAL-Ranges": [
            { "Timeline": 1, "Start-LSN": "0/2000028", "End-LSN": "0/2000100" }
            ],
            "Manifest-Checksum": "abc"}
            """
        let parsed = try PostgresBackupManifest(bytes: Array(json.utf8), what: "manifest")
        #expect(parsed.files == 2)
        #expect(parsed.walRanges == [.init(timeline: 1, start: LSN("0/2000028")!, end: LSN("0/2000100")!)])
        #expect(throws: LifeboatError.self) { try PostgresBackupManifest(bytes: Array("{}".utf8), what: "empty") }
    }

    @Test("given a start LSN, when naming its backup history file, then it is the start segment plus the offset in hex", arguments: [
        ("0/2000028", UInt32(1), "000000010000000000000002.00000028.backup"),
        ("16/B374D848", UInt32(3), "0000000300000016000000B3.0074D848.backup"),
    ])
    func historyName(start: String, timeline: UInt32, expected: String) throws {
        let name = BaseBackup.backupHistoryName(start: try #require(LSN(start)), timeline: timeline, segmentSize: WALFileName.defaultSegmentSize)
        #expect(name.description == expected)
        #expect(name.kind == .backupHistory)
    }

    @Test("given a start and stop LSN, when listing the segments a base backup needs, then every segment between them is named in order")
    func requiredSegments() throws {
        let names = BaseBackupWALWaiter.requiredSegments(timeline: 2, start: try #require(LSN("0/FF000028")), stop: try #require(LSN("1/01000100")), segmentSize: WALFileName.defaultSegmentSize)
        #expect(names.map(\.description) == ["0000000200000000000000FF", "000000020000000100000000", "000000020000000100000001"])
    }
}
