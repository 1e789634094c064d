/// One WAL record as `pg_waldump` prints it, reduced to what recovery planning needs.
public struct WALRecordSummary: Sendable, Hashable {
    /// What the record is, for planning.
    public enum Kind: Sendable, Hashable {
        /// A transaction commit (or commit of a prepared transaction) at a time.
        case commit(TargetTime)
        /// A transaction abort at a time (recovery targets stop at aborts too).
        case abort(TargetTime)
        /// A named restore point (`pg_create_restore_point`).
        case restorePoint(String)
        /// Anything else.
        case other
    }

    /// The record's position.
    public var lsn: LSN
    /// Its transaction id (0 when none).
    public var xid: UInt64
    /// What it is.
    public var kind: Kind

    /// Creates a summary.
    public init(lsn: LSN, xid: UInt64, kind: Kind) {
        self.lsn = lsn
        self.xid = xid
        self.kind = kind
    }

    /// The commit or abort time, if this record has one.
    public var transactionTime: TargetTime? {
        switch kind {
        case .commit(let time), .abort(let time): time
        default: nil
        }
    }

    /// Parses one line of `pg_waldump` output (run with `TZ=UTC`), e.g.
    /// `rmgr: Transaction len (rec/tot):     34/    34, tx:        736, lsn: 0/01A2B3C8, prev 0/01A2B390, desc: COMMIT 2026-11-21 12:58:01.123456 UTC`.
    /// Returns nil for lines that are not records.
    public static func parse(line: String) -> WALRecordSummary? {
        guard line.hasPrefix("rmgr: "),
              let rmgrEnd = line.dropFirst(6).firstIndex(of: " "),
              let lsnText = field(line, after: "lsn: ", until: ","), let lsn = LSN(lsnText),
              let xidText = field(line, after: "tx: ", until: ","), let xid = UInt64(xidText) else { return nil }
        let rmgr = line[line.index(line.startIndex, offsetBy: 6)..<rmgrEnd]
        let desc = line.range(of: "desc: ").map { String(line[$0.upperBound...]) } ?? ""
        var kind = Kind.other
        if rmgr == "Transaction", desc.hasPrefix("COMMIT") || desc.hasPrefix("ABORT"), let time = timestamp(in: desc) {
            kind = desc.hasPrefix("COMMIT") ? .commit(time) : .abort(time)
        } else if rmgr == "XLOG", desc.hasPrefix("RESTORE_POINT ") {
            kind = .restorePoint(String(desc.dropFirst("RESTORE_POINT ".count)))
        }
        return WALRecordSummary(lsn: lsn, xid: xid, kind: kind)
    }

    private static func field(_ line: String, after marker: String, until end: Character) -> String? {
        guard let range = line.range(of: marker) else { return nil }
        let rest = line[range.upperBound...]
        let value = rest.prefix { $0 != end }
        return value.trimmingCharacters(in: .whitespaces)
    }

    /// The first `YYYY-MM-DD HH:MM:SS[.ffffff] UTC` in `text`.
    private static func timestamp(in text: String) -> TargetTime? {
        let characters = Array(text)
        var index = 0
        while index + 19 <= characters.count {
            if characters[index].isNumber, index + 4 < characters.count, characters[index + 4] == "-" {
                var end = index + 19
                if end < characters.count, characters[end] == "." {
                    end += 1
                    while end < characters.count, characters[end].isNumber { end += 1 }
                }
                if end + 4 <= characters.count, String(characters[end..<(end + 4)]) == " UTC",
                   let time = try? TargetTime(parsing: String(characters[index..<(end + 4)])) {
                    return time
                }
            }
            index += 1
        }
        return nil
    }
}

import Foundation
