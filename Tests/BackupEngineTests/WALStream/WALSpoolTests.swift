@testable import BackupEngine
import Testing

@Suite("wal-stream: reading the spool pg_receivewal writes")
struct WALSpoolTests {
    static let size = WALFileName.defaultSegmentSize

    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var files: [String]
        var segments: [String]
        var current: String?
        var finished: [String]
        var histories: [String] = []
    }

    static let cases: [Case] = [
        Case(description: "empty", files: [], segments: [], current: nil, finished: []),
        Case(description: "segments and the current partial, foreign files ignored",
             files: ["000000010000000000000004.partial", "000000010000000000000003", "000000010000000000000002", "notes.txt", "000000010000000000000005.gz.partial", ".tmp"],
             segments: ["000000010000000000000002", "000000010000000000000003"], current: "000000010000000000000004.partial", finished: []),
        Case(description: "right after a segment completed: no partial yet",
             files: ["000000010000000000000003"], segments: ["000000010000000000000003"], current: nil, finished: []),
        Case(description: "a promotion: the old timeline's last partial is finished, the new one is current",
             files: ["000000010000000000000005.partial", "000000020000000000000005.partial", "00000002.history", "00000002.history.tmp"],
             segments: [], current: "000000020000000000000005.partial", finished: ["000000010000000000000005.partial"], histories: ["00000002.history"]),
        Case(description: "a leftover partial beside its complete copy",
             files: ["000000010000000000000005.partial", "000000010000000000000005"],
             segments: ["000000010000000000000005"], current: nil, finished: ["000000010000000000000005.partial"]),
    ]

    @Test("given the files of a spool, when classified, then complete segments are in WAL order and exactly the newest partial is current", arguments: cases)
    func classify(_ testCase: Case) {
        let listing = WALSpool.classify(testCase.files, segmentSize: Self.size)
        #expect(listing.segments.map(\.description) == testCase.segments)
        #expect(listing.currentPartial?.description == testCase.current)
        #expect(listing.finishedPartials.map(\.description) == testCase.finished)
        #expect(listing.histories.map(\.description) == testCase.histories)
    }

    @Test("given a spool, when its known end is asked, then it is the end of the newest complete segment or the start of the current partial")
    func knownEnd() {
        let listing = WALSpool.classify(["000000010000000000000002", "000000010000000000000004.partial"], segmentSize: Self.size)
        #expect(listing.knownEnd(segmentSize: Self.size) == LSN(4 * Self.size))
        let complete = WALSpool.classify(["000000010000000000000002"], segmentSize: Self.size)
        #expect(complete.knownEnd(segmentSize: Self.size) == LSN(3 * Self.size))
        #expect(WALSpool.classify([], segmentSize: Self.size).knownEnd(segmentSize: Self.size) == nil)
    }

    @Test("given a zero-padded partial segment, when its content end is computed, then it is just past the last non-zero byte")
    func contentEnd() {
        let segment = WALFileName(timeline: 1, segmentNumber: 3)
        var bytes = [UInt8](repeating: 0, count: 8192)
        #expect(WALSpool.contentEnd(ofPartial: bytes, segment: segment, segmentSize: Self.size) == nil)
        bytes[0] = 1
        bytes[4999] = 7
        #expect(WALSpool.contentEnd(ofPartial: bytes, segment: segment, segmentSize: Self.size) == LSN(3 * Self.size + 5000))
    }
}
