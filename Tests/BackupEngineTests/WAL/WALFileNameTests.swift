import BackupEngine
import Testing

@Suite("WAL file names: kinds, strict parsing, segment sizes")
struct WALFileNameTests {
    @Test("given each kind of archived file, when parsed, then kind, timeline and position are read and the name prints back", arguments: [
        ("000000010000000A000000FE", WALFileName.Kind.segment, UInt32(1), UInt64(0xA * 0x100 + 0xFE), UInt32?.none),
        ("000000020000000000000003.partial", .partial, 2, 3, nil),
        ("00000003.history", .history, 3, 0, nil),
        ("000000010000000000000002.00000028.backup", .backupHistory, 1, 2, 0x28),
        ("FFFFFFFFFFFFFFFF000000FF", .segment, UInt32.max, 0xFFFF_FFFF * 0x100 + 0xFF, nil),
    ])
    func parsesEachKind(text: String, kind: WALFileName.Kind, timeline: UInt32, segment: UInt64, offset: UInt32?) throws {
        let name = try #require(WALFileName(text))
        #expect(name.kind == kind)
        #expect(name.timeline == timeline)
        #expect(name.segmentNumber == segment)
        #expect(name.backupOffset == offset)
        #expect(name.description == text)
    }

    @Test("given names that are not WAL, when parsed, then they are refused", arguments: [
        "", "000000010000000A000000fe", "00000001000000000000000", "0000000100000000000000001", "00000003.History",
        "0000003.history", "000000010000000000000003.part", "000000010000000000000003.partial.tmp", "RECOVERYXLOG",
        "00000001000000000000000G", "000000010000000000000100", "000000010000000000000003.0000028.backup",
        "000000010000000000000003.00000028.backupx", "archive_status", "000000010000000000000003 ",
    ])
    func refusesInvalid(text: String) {
        #expect(WALFileName(text) == nil)
    }

    @Test("given 1 MiB and 64 MiB segments, when names are parsed and built, then the segment part wraps at the right count", arguments: [
        (UInt64(1 << 20), "000000010000000000000FFF", UInt64(0xFFF), "000000010000000100000000", "000000010000000000001000"),
        (UInt64(64 << 20), "00000001000000000000003F", UInt64(0x3F), "000000010000000100000000", "000000010000000000000040"),
    ])
    func otherSegmentSizes(size: UInt64, last: String, number: UInt64, next: String, pastLast: String) throws {
        let name = try #require(WALFileName(last, segmentSize: size))
        #expect(name.segmentNumber == number)
        #expect(name.next.description == next)
        #expect(name.next.segmentNumber == number + 1)
        // A seg part past the per-log count is not a name this cluster writes .
        #expect(WALFileName(pastLast, segmentSize: size) == nil)
        #expect(WALFileName(timeline: 1, segmentNumber: number + 1, segmentSize: size).description == next)
    }

    @Test("given 16 MiB segments, when the last segment of a log id is followed, then the next one is in the next log id")
    func nextAcrossLogBoundary() throws {
        let name = try #require(WALFileName("0000000100000009000000FF"))
        #expect(name.next.description == "000000010000000A00000000")
        #expect(name.next.next.description == "000000010000000A00000001")
        let partial = try #require(WALFileName("0000000100000009000000FF.partial"))
        #expect(partial.next.description == "000000010000000A00000000", "next is always a complete segment")
    }

    @Test("given an LSN, when the segment containing it is asked for, then it matches pg_walfile_name's answer", arguments: [
        ("0/3000028", UInt64(16 << 20), UInt32(1), "000000010000000000000003"),
        ("16/B374D848", 16 << 20, 1, "0000000100000016000000B3"),
        ("16/B374D848", 1 << 20, 2, "000000020000001600000B37"),
        ("0/FFFFFF", 16 << 20, 1, "000000010000000000000000"),
        ("1/0", 16 << 20, 5, "000000050000000100000000"),
    ])
    func segmentContaining(lsn: String, size: UInt64, timeline: UInt32, expected: String) throws {
        let position = try #require(LSN(lsn))
        let name = WALFileName.segment(containing: position, timeline: timeline, segmentSize: size)
        #expect(name.description == expected)
        #expect(name.startLSN(segmentSize: size) <= position)
        #expect(name.next.startLSN(segmentSize: size) > position)
    }

    @Test("given files of several timelines and kinds, when sorted, then by timeline, history first, then position")
    func ordering() throws {
        let names = try [
            "000000020000000000000004", "000000010000000000000005", "00000002.history", "000000010000000000000003.partial",
            "000000010000000000000003", "000000010000000000000004.00000028.backup", "000000010000000100000000",
        ].map { try #require(WALFileName($0)) }
        #expect(names.sorted().map(\.description) == [
            "000000010000000000000003", "000000010000000000000003.partial", "000000010000000000000004.00000028.backup",
            "000000010000000000000005", "000000010000000100000000", "00000002.history", "000000020000000000000004",
        ])
    }

    @Test("given a timeline, when its history file name is built, then it is the 8-hex-digit timeline plus .history")
    func historyName() {
        #expect(WALFileName.history(timeline: 0x1A).description == "0000001A.history")
        #expect(WALFileName.history(timeline: 0x1A).kind == .history)
    }
}
