/// The name of a file PostgreSQL archives: a WAL segment, a partial segment, a timeline history file, or a
/// backup history file. Parsing is strict: anything else is not WAL and is refused.
public struct WALFileName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// What the file is.
    public enum Kind: String, Sendable, Hashable {
        /// `000000010000000A000000FE`: 16 MiB (by default) of WAL.
        case segment
        /// `000000010000000A000000FE.partial`: the unfinished last segment of a timeline (pg_receivewal, promotion).
        case partial
        /// `00000002.history`: how a timeline branched from its parent.
        case history
        /// `000000010000000A000000FE.00000028.backup`: written by pg_backup_stop.
        case backupHistory
    }

    /// The kind of file.
    public var kind: Kind
    /// The timeline (for a history file: the timeline it describes).
    public var timeline: UInt32
    /// The segment number (log * segments-per-log + seg); 0 for history files.
    public var segmentNumber: UInt64
    /// For a backup history file: the start offset in the segment; nil otherwise.
    public var backupOffset: UInt32?
    /// Segments per "log" id, which depends on the segment size (0x100 for 16 MiB).
    public var segmentsPerLog: UInt64

    /// Segment number `segmentNumber` on `timeline`, for a server with `segmentSize`-byte segments.
    public init(timeline: UInt32, segmentNumber: UInt64, segmentSize: UInt64 = WALFileName.defaultSegmentSize, kind: Kind = .segment) {
        self.kind = kind
        self.timeline = timeline
        self.segmentNumber = segmentNumber
        self.backupOffset = nil
        self.segmentsPerLog = 0x1_0000_0000 / segmentSize
    }

    /// The history file of `timeline`.
    public static func history(timeline: UInt32) -> WALFileName {
        var name = WALFileName(timeline: timeline, segmentNumber: 0, kind: .history)
        name.kind = .history
        return name
    }

    /// Parses an archived file's name (`segmentSize` is needed to turn log/seg into a segment number).
    public init?(_ text: String, segmentSize: UInt64 = WALFileName.defaultSegmentSize) {
        func hex32(_ s: Substring) -> UInt32? {
            s.count == 8 && s.allSatisfy(\.isHexDigit) && s.uppercased() == s ? UInt32(s, radix: 16) : nil
        }
        segmentsPerLog = 0x1_0000_0000 / segmentSize
        backupOffset = nil
        if text.count == 16, text.hasSuffix(".history"), let tli = hex32(text.prefix(8)) {
            kind = .history
            timeline = tli
            segmentNumber = 0
            return
        }
        guard text.count >= 24 else { return nil }
        let head = text.prefix(24)
        guard let tli = hex32(head.prefix(8)), let log = hex32(head.dropFirst(8).prefix(8)), let seg = hex32(head.suffix(8)),
              UInt64(seg) < segmentsPerLog else { return nil }
        timeline = tli
        segmentNumber = UInt64(log) * segmentsPerLog + UInt64(seg)
        let rest = text.dropFirst(24)
        switch rest {
        case "": kind = .segment
        case ".partial": kind = .partial
        default:
            guard rest.count == 16, rest.hasPrefix("."), rest.hasSuffix(".backup"), let offset = hex32(rest.dropFirst().prefix(8)) else { return nil }
            kind = .backupHistory
            backupOffset = offset
        }
    }

    /// 16 MiB, PostgreSQL's default `wal_segment_size`.
    public static let defaultSegmentSize: UInt64 = 16 * 1024 * 1024

    /// The 24-hex-digit segment part (`TTTTTTTTLLLLLLLLSSSSSSSS`).
    public var segmentPart: String {
        hex(timeline) + hex(UInt32(segmentNumber / segmentsPerLog)) + hex(UInt32(segmentNumber % segmentsPerLog))
    }

    /// The file name exactly as PostgreSQL writes it.
    public var description: String {
        switch kind {
        case .segment: segmentPart
        case .partial: segmentPart + ".partial"
        case .history: hex(timeline) + ".history"
        case .backupHistory: segmentPart + "." + hex(backupOffset ?? 0) + ".backup"
        }
    }

    /// The first LSN inside this segment.
    public func startLSN(segmentSize: UInt64) -> LSN { LSN(segmentNumber * segmentSize) }

    /// The segment containing `lsn` on `timeline`.
    public static func segment(containing lsn: LSN, timeline: UInt32, segmentSize: UInt64) -> WALFileName {
        WALFileName(timeline: timeline, segmentNumber: lsn.value / segmentSize, segmentSize: segmentSize)
    }

    /// The next segment on the same timeline.
    public var next: WALFileName {
        var copy = self
        copy.kind = .segment
        copy.backupOffset = nil
        copy.segmentNumber += 1
        return copy
    }

    /// Orders by timeline, then position; history files first in their timeline.
    public static func < (lhs: WALFileName, rhs: WALFileName) -> Bool {
        (lhs.timeline, lhs.kind == .history ? 0 : 1, lhs.segmentNumber, lhs.description) < (rhs.timeline, rhs.kind == .history ? 0 : 1, rhs.segmentNumber, rhs.description)
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
