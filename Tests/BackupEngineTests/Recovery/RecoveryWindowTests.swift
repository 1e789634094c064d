import BackupEngine
import Foundation
import Testing

@Suite("Recovery window: first and last recoverable point, gaps, timelines")
struct RecoveryWindowTests {
    typealias F = RecoveryFixtures

    @Test("given one backup and unbroken WAL after it, when the window is computed, then it runs from the backup's stop to the last segment's end")
    func simpleWindow() throws {
        let snapshot = try F.snapshot([1: 2...9], backups: [F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10)])
        let window = RecoveryWindow(snapshot: snapshot)
        #expect(window.first?.lsn == LSN("0/3000100"))
        #expect(window.first?.backupId == "b1")
        #expect(window.last?.lsn == LSN("0/A000000"))
        #expect(window.last?.segment.description == "000000010000000000000009")
        #expect(window.gaps.isEmpty)
    }

    @Test("given a missing segment after the only backup, when the window is computed, then it ends before the gap and the gap is listed")
    func gapEndsWindow() throws {
        let snapshot = try F.snapshot([1: 2...9], missing: [1: [6, 7]], backups: [F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10)])
        let window = RecoveryWindow(snapshot: snapshot)
        #expect(window.last?.lsn == LSN("0/6000000"))
        #expect(window.gaps.map(\.description) == ["000000010000000000000006 … 000000010000000000000007 (2 segments)"])
        #expect(window.gapsOnPath.count == 1)
        #expect(window.summary.contains("WAL missing: 000000010000000000000006"))
    }

    @Test("given a backup whose own WAL is missing, when the window is computed, then it is unusable and the next backup starts the window")
    func unusableBackup() throws {
        let snapshot = try F.snapshot([1: 2...9], missing: [1: [3]], backups: [
            F.backup("old", start: "0/2000028", stop: "0/3000100", finishedAfter: 10),
            F.backup("new", start: "0/5000028", stop: "0/5000100", finishedAfter: 50),
        ])
        let window = RecoveryWindow(snapshot: snapshot)
        #expect(window.first?.backupId == "new")
        #expect(window.unusable["old"]?.contains("000000010000000000000003") == true)
        #expect(window.last?.lsn == LSN("0/A000000"))
    }

    @Test("given no base backup, when the window is computed, then nothing is recoverable and the summary says so")
    func noBackup() throws {
        let window = RecoveryWindow(snapshot: try F.snapshot([1: 1...3], backups: []))
        #expect(window.first == nil && window.last == nil)
        #expect(window.summary.contains("nothing is recoverable"))
    }

    @Test("given a promotion to timeline 2 at 0/5000100, when the window of timeline 2 is computed, then it follows timeline 1 up to segment 4 and timeline 2 from segment 5")
    func followsHistory() throws {
        let snapshot = try F.snapshot([1: 2...5, 2: 5...7], histories: [2: "1\t0/5000100\tno recovery target specified\n"],
                                      backups: [F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10)])
        let window = RecoveryWindow(snapshot: snapshot)
        #expect(window.timeline == 2)
        #expect(window.lineage.timelines == [1, 2])
        #expect(window.lineage.segment(4, segmentSize: F.size).description == "000000010000000000000004")
        #expect(window.lineage.segment(5, segmentSize: F.size).description == "000000020000000000000005")
        #expect(window.last?.segment.description == "000000020000000000000007")
        #expect(window.problems.isEmpty)
    }

    @Test("given a backup on timeline 1 taken after timeline 2 branched off, when the window of timeline 2 is computed, then that backup is not on the path")
    func backupOffPath() throws {
        let snapshot = try F.snapshot([1: 2...9, 2: 5...7], histories: [2: "1\t0/5000100\tbranch\n"], backups: [
            F.backup("before", start: "0/2000028", stop: "0/3000100", finishedAfter: 10),
            F.backup("after", start: "0/8000028", stop: "0/8000100", finishedAfter: 90),
        ])
        let window = RecoveryWindow(snapshot: snapshot, timeline: 2)
        #expect(window.unusable["after"]?.contains("not on the path") == true)
        #expect(window.first?.backupId == "before")
        #expect(RecoveryWindow(snapshot: snapshot, timeline: 1).unusable.isEmpty)
    }

    @Test("given a streamed archive whose newest segment is only a .partial, when the window is computed, then the partial ends the run")
    func partialEndsRun() throws {
        var snapshot = try F.snapshot([1: 2...5], backups: [F.backup("b1", start: "0/2000028", stop: "0/3000100", finishedAfter: 10)])
        snapshot.partials = [1: [6]]
        let window = RecoveryWindow(snapshot: snapshot)
        #expect(window.last?.segment.description == "000000010000000000000006.partial")
        #expect(window.gaps.isEmpty)
        snapshot.partials = [1: [7]]
        #expect(RecoveryWindow(snapshot: snapshot).last?.segment.description == "000000010000000000000005")
    }

    @Test("given timeline 3 without its history file, when the window is computed, then the missing history is a problem")
    func missingHistory() throws {
        let snapshot = try F.snapshot([3: 5...6], backups: [])
        #expect(RecoveryWindow(snapshot: snapshot).problems.first?.contains("00000003.history") == true)
    }

    @Test("given a lineage, when asked which timeline holds a segment, then the newest timeline begun by then answers", arguments: [
        (UInt64(1), UInt32(1)), (4, 1), (5, 2), (9, 2), (10, 3), (40, 3),
    ])
    func lineageSegments(segment: UInt64, timeline: UInt32) throws {
        let history = try TimelineHistory(timeline: 3, text: "1\t0/5000100\tx\n2\t0/A000000\ty\n")
        let lineage = TimelineLineage(timeline: 3, history: history)
        #expect(lineage.timeline(ofSegment: segment, segmentSize: F.size) == timeline)
        #expect(lineage.contains(timeline: 2, from: LSN("0/6000000")!, to: LSN("0/9000000")!))
        #expect(!lineage.contains(timeline: 2, from: LSN("0/6000000")!, to: LSN("0/B000000")!))
        #expect(!lineage.contains(timeline: 4, from: LSN("0/6000000")!, to: LSN("0/6000001")!))
    }
}
