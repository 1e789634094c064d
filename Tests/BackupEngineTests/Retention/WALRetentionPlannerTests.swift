@testable import BackupEngine
import Foundation
import Testing

/// 16 MiB segments, PostgreSQL's default.
private let size = WALFileName.defaultSegmentSize

/// The name of segment `number` on `timeline` (`.partial` or a backup history file at `backupOffset` when asked).
private func seg(_ timeline: UInt32, _ number: UInt64, partial: Bool = false, backupOffset: UInt32? = nil) -> String {
    let name = WALFileName(timeline: timeline, segmentNumber: number).description
    if partial { return name + ".partial" }
    if let backupOffset { return name + "." + String(format: "%08X", backupOffset) + ".backup" }
    return name
}

private func history(_ timeline: UInt32) -> String { WALFileName.history(timeline: timeline).description }

/// A base backup starting in segment `start` (offset 0x28) and stopping in segment `stop` (offset 0x100).
private func base(_ id: String, _ time: String, timeline: UInt32 = 1, start: UInt64, stop: UInt64, keep: Bool = true) -> WALRetentionBackup {
    WALRetentionBackup(id: id, timeline: timeline, startLSN: LSN(start * size + 0x28), stopLSN: LSN(stop * size + 0x100), startedAt: at(time), keep: keep)
}

/// A timeline history file's text: `(parent, switch segment)` pairs, switching at offset 0x500 of that segment.
private func historyText(_ timeline: UInt32, _ entries: [(UInt32, UInt64)]) -> TimelineHistory {
    let text = entries.map { "\($0.0)\t\(LSN($0.1 * size + 0x500))\tno recovery target specified" }.joined(separator: "\n") + "\n"
    return try! TimelineHistory(timeline: timeline, text: text)
}

/// One row: archived files, base backups, histories, a window, and what must be kept (every other file deleted).
struct WALRetentionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var files: [String]
    var backups: [WALRetentionBackup]
    var histories: [UInt32: TimelineHistory] = [:]
    var window: String?
    var now = at("2026-11-21T12:00:00Z")
    var kept: Set<String>
    /// For some files, text their reason must contain.
    var reasons: [String: String] = [:]

    var testDescription: String { name }
}

@Suite("Retention: WAL plan")
struct WALRetentionPlannerTests {
    /// Three kept base backups on timeline 1: b1 (Nov 15, segment 2), b2 (Nov 18, segments 5–6), b3 (Nov 20, segment 9).
    static let three = [
        base("b1", "2026-11-15T02:00:00Z", start: 2, stop: 2),
        base("b2", "2026-11-18T02:00:00Z", start: 5, stop: 6),
        base("b3", "2026-11-20T02:00:00Z", start: 9, stop: 9),
    ]
    static let line = (0...11).map { seg(1, $0) }

    /// Timeline 2 branched from 1 in segment 5; timeline 3 branched from 1 in segment 6 (a sibling of 2).
    static let branchedFiles = (1...8).map { seg(1, $0) } + (5...9).map { seg(2, $0) } + (6...8).map { seg(3, $0) } + [history(2), history(3), seg(2, 10, partial: true), seg(3, 9, partial: true)]
    static let branchedHistories: [UInt32: TimelineHistory] = [2: historyText(2, [(1, 5)]), 3: historyText(3, [(1, 6)])]

    static let cases: [WALRetentionCase] = [
        WALRetentionCase(
            name: "no kept base backup: nothing is deleted",
            files: line, backups: [base("old", "2026-11-10T02:00:00Z", start: 3, stop: 3, keep: false)],
            kept: Set(line), reasons: [seg(1, 0): "no base backup is kept"]),
        WALRetentionCase(
            name: "no window: WAL whole from the oldest kept base backup's start; earlier segments go",
            files: line, backups: three, kept: Set((2...11).map { seg(1, $0) }),
            reasons: [seg(1, 2): "after the start 0/2000028 of base backup b1", seg(1, 1): "before the start 0/2000028 of base backup b1"]),
        WALRetentionCase(
            name: "window 2d: anchored at b2 (the newest started before the window), b1 keeps only its start–stop segment",
            files: line + [seg(1, 2, backupOffset: 0x28), seg(1, 3, backupOffset: 0x28)],
            backups: three, window: "2d",
            kept: Set([seg(1, 2), seg(1, 2, backupOffset: 0x28)] + (5...11).map { seg(1, $0) }),
            reasons: [seg(1, 2): "makes base backup b1 consistent", seg(1, 2, backupOffset: 0x28): "makes base backup b1 consistent",
                      seg(1, 3): "before the start 0/5000028 of base backup b2", seg(1, 5): "inside the PITR window of 2d"]),
        WALRetentionCase(
            name: "window 1h: anchored at the newest backup b3; b1 and b2 keep their start–stop segments only",
            files: line, backups: three, window: "1h",
            kept: Set([seg(1, 2), seg(1, 5), seg(1, 6)] + (9...11).map { seg(1, $0) }),
            reasons: [seg(1, 6): "makes base backup b2 consistent (its WAL 0/5000028–0/6000100)", seg(1, 7): "before the start 0/9000028 of base backup b3"]),
        WALRetentionCase(
            name: "window longer than every backup: anchored at the oldest kept one",
            files: line, backups: three, window: "30d", kept: Set((2...11).map { seg(1, $0) })),
        WALRetentionCase(
            name: "a backup retention deletes does not anchor the window; its WAL goes",
            files: line, backups: [base("b1", "2026-11-15T02:00:00Z", start: 2, stop: 2, keep: false)] + three.dropFirst(),
            kept: Set((5...11).map { seg(1, $0) }), reasons: [seg(1, 2): "before the start 0/5000028 of base backup b2"]),
        WALRetentionCase(
            name: "branches, no window: both child timelines continue b1's history, so all their WAL stays",
            files: branchedFiles, backups: [base("b1", "2026-11-15T02:00:00Z", start: 2, stop: 2)], histories: branchedHistories,
            kept: Set(branchedFiles).subtracting([seg(1, 1)]),
            reasons: [seg(3, 7): "after the start 0/2000028 of base backup b1 on timeline 1", history(2): "always kept"]),
        WALRetentionCase(
            name: "branches, window anchored on timeline 2: the sibling timeline 3 and timeline 1 past b1 go, partial segments follow their timeline",
            files: branchedFiles,
            backups: [base("b1", "2026-11-15T02:00:00Z", start: 2, stop: 2), base("b2", "2026-11-18T02:00:00Z", timeline: 2, start: 7, stop: 7)],
            histories: branchedHistories, window: "2d",
            kept: Set([seg(1, 2), seg(2, 7), seg(2, 8), seg(2, 9), seg(2, 10, partial: true), history(2), history(3)]),
            reasons: [seg(3, 9, partial: true): "timeline 3 does not continue any kept base backup", seg(1, 6): "timeline 1 does not continue",
                      seg(2, 6): "before the start 0/7000028 of base backup b2",
                      seg(2, 10, partial: true): "after the start 0/7000028 of base backup b2 on timeline 2"]),
        WALRetentionCase(
            name: "a gap: timeline 4 has no history file, so its WAL is kept as possibly continuing the anchor",
            files: line + (10...12).map { seg(4, $0) }, backups: Array(three.suffix(1)),
            kept: Set((9...11).map { seg(1, $0) } + (10...12).map { seg(4, $0) }),
            reasons: [seg(4, 10): "timeline 4 has no history file in the archive"]),
        WALRetentionCase(
            name: "a timeline that branched before the anchor's start does not continue it",
            files: (9...11).map { seg(1, $0) } + (8...11).map { seg(2, $0) } + [history(2)],
            backups: Array(three.suffix(1)), histories: [2: historyText(2, [(1, 8)])],
            kept: Set((9...11).map { seg(1, $0) } + [history(2)]),
            reasons: [seg(2, 10): "timeline 2 does not continue"]),
    ]

    @Test("given archived WAL and base backups, when planning WAL retention, then exactly the needed files are kept, each with its reason", arguments: cases)
    func plan(row: WALRetentionCase) throws {
        let window = try row.window.map { try #require(DurationText.parse($0)) }
        let files = try row.files.map { try #require(WALFileName($0), "test data: \($0) is not a WAL name") }
        let decisions = WALRetentionPlanner.plan(files: files, backups: row.backups, histories: row.histories, pitrWindow: window, now: row.now, segmentSize: size)
        #expect(decisions.count == files.count, "one decision per file")
        let kept = Set(decisions.filter(\.keep).map(\.name.description))
        #expect(kept == row.kept, "kept but should go: \(kept.subtracting(row.kept).sorted()); deleted but needed: \(row.kept.subtracting(kept).sorted())")
        let byName = Dictionary(decisions.map { ($0.name.description, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, fragment) in row.reasons {
            let reason = byName[name]?.reason ?? "(no decision)"
            #expect(reason.contains(fragment), "\(name): \"\(reason)\" does not say \"\(fragment)\"")
        }
        #expect(decisions.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("given decisions, when grouped into runs, then consecutive files with one outcome and reason on one timeline form one run")
    func runs() throws {
        let files = [seg(1, 1), seg(1, 2), seg(1, 3), seg(2, 3), seg(2, 4)].compactMap { WALFileName($0) }
        let decisions = WALRetentionPlanner.plan(files: files, backups: [base("b", "2026-11-20T02:00:00Z", start: 2, stop: 2)], histories: [:], pitrWindow: nil, now: at("2026-11-21T00:00:00Z"), segmentSize: size)
        let runs = WALRetentionPlanner.runs(decisions)
        #expect(runs.map(\.count) == [1, 2, 2], "\(runs)")
        #expect(runs.map(\.keep) == [false, true, true])
        #expect(runs[1].first.description == seg(1, 2) && runs[1].last.description == seg(1, 3))
    }
}
