/// The `KEY: value` lines PostgreSQL writes for a base backup: `backup_label` (first member of the base tar: start
/// LSN, checkpoint, start timeline) and the backup history file `…​.backup` it archives at the end (the same plus the
/// stop LSN and stop timeline).
public struct BackupLabel: Sendable, Hashable {
    /// `START WAL LOCATION`: recovery replays WAL from here.
    public var startLSN: LSN
    /// `START TIMELINE`.
    public var startTimeline: UInt32
    /// `CHECKPOINT LOCATION`.
    public var checkpointLSN: LSN?
    /// `STOP WAL LOCATION` (backup history files only).
    public var stopLSN: LSN?
    /// `STOP TIMELINE` (backup history files only).
    public var stopTimeline: UInt32?
    /// `LABEL`.
    public var label: String?

    /// Parses the text of a `backup_label` or backup history file; `what` names it in errors.
    public init(text: String, what: String) throws {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        func lsn(_ key: String) -> LSN? {
            // "0/2000028 (file 000000010000000000000002)": the LSN is the first word.
            fields[key].flatMap { $0.split(separator: " ").first }.flatMap { LSN(String($0)) }
        }
        guard let start = lsn("START WAL LOCATION") else {
            throw LifeboatError(.integrity, "\(what) has no readable START WAL LOCATION line", hint: "the base backup stream is not what pg_basebackup writes; run it again")
        }
        startLSN = start
        // Servers before 11 wrote no START TIMELINE; the timeline is then in the segment name after "(file ".
        if let tli = fields["START TIMELINE"].flatMap({ UInt32($0) }) {
            startTimeline = tli
        } else if let file = fields["START WAL LOCATION"]?.split(separator: " ").last?.prefix(8), let tli = UInt32(file, radix: 16) {
            startTimeline = tli
        } else {
            throw LifeboatError(.integrity, "\(what) names no START TIMELINE")
        }
        checkpointLSN = lsn("CHECKPOINT LOCATION")
        stopLSN = lsn("STOP WAL LOCATION")
        stopTimeline = fields["STOP TIMELINE"].flatMap { UInt32($0) }
        label = fields["LABEL"]
    }
}

import Foundation
