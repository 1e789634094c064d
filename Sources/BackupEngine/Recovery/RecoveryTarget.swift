import Foundation

/// Where a point-in-time recovery stops, and on which timeline.
///
/// `immediate` and `latest` are two different targets: `immediate` stops as soon as the base backup is consistent
/// (its stop LSN), `latest` replays every WAL file the archive has.
public struct RecoveryTarget: Sendable, Hashable, CustomStringConvertible {
    /// The point to stop at.
    public enum Point: Sendable, Hashable {
        /// A commit time (`recovery_target_time`).
        case time(TargetTime)
        /// A WAL position (`recovery_target_lsn`).
        case lsn(LSN)
        /// A transaction id (`recovery_target_xid`): stop at its commit.
        case xid(UInt64)
        /// A restore point made with `pg_create_restore_point` (`recovery_target_name`).
        case name(String)
        /// The end of the base backup's consistency (`recovery_target = 'immediate'`).
        case immediate
        /// The end of the archive: no target at all.
        case latest
    }

    /// The timeline to follow (`recovery_target_timeline`).
    public enum Timeline: Sendable, Hashable, CustomStringConvertible {
        /// The newest timeline in the archive (PostgreSQL's default).
        case latest
        /// The base backup's own timeline.
        case current
        /// A given timeline.
        case number(UInt32)

        /// Parses `latest`, `current` or a number (decimal, or hex with `0x`).
        public init?(_ text: String) {
            switch text.lowercased() {
            case "latest": self = .latest
            case "current": self = .current
            default:
                if text.lowercased().hasPrefix("0x"), let n = UInt32(text.dropFirst(2), radix: 16), n > 0 { self = .number(n); return }
                guard let n = UInt32(text), n > 0 else { return nil }
                self = .number(n)
            }
        }

        /// The setting's value.
        public var description: String {
            switch self {
            case .latest: "latest"
            case .current: "current"
            case .number(let n): String(n)
            }
        }
    }

    /// The point.
    public var point: Point
    /// Whether the stop point itself is included (PostgreSQL's default) or recovery stops just before it.
    public var inclusive: Bool
    /// The timeline to follow.
    public var timeline: Timeline

    /// Creates a target; `exclusive` is only meaningful for time, LSN and xid targets.
    public init(point: Point, inclusive: Bool = true, timeline: Timeline = .latest) throws {
        if !inclusive {
            switch point {
            case .time, .lsn, .xid: break
            default:
                throw LifeboatError(.invalidInput, "an exclusive target needs a time, an LSN or a transaction id; \(Self.describe(point)) is a single point",
                                    hint: "drop --exclusive")
            }
        }
        if case .name(let name) = point, name.isEmpty || name.utf8.count > 63 {
            throw LifeboatError(.invalidInput, "a restore point name has 1 to 63 bytes; \"\(name)\" does not")
        }
        self.point = point
        self.inclusive = inclusive
        self.timeline = timeline
    }

    /// Parses the value of `--target-xid`.
    public static func parseXid(_ text: String) throws -> UInt64 {
        guard let xid = UInt64(text), xid >= 3 else {
            throw LifeboatError(.invalidInput, "\"\(text)\" is not a transaction id (a number from 3 up, as txid_current() returns)")
        }
        return xid
    }

    /// Parses the value of `--target-lsn`.
    public static func parseLSN(_ text: String) throws -> LSN {
        guard let lsn = LSN(text) else {
            throw LifeboatError(.invalidInput, "\"\(text)\" is not a WAL position; write it as PostgreSQL prints it, e.g. 0/3000148")
        }
        return lsn
    }

    /// The `postgresql.auto.conf` lines that make PostgreSQL stop here, in a stable order (values quoted).
    public var settings: [(name: String, value: String)] {
        var lines: [(name: String, value: String)] = []
        switch point {
        case .time(let time): lines.append(("recovery_target_time", time.postgresText))
        case .lsn(let lsn): lines.append(("recovery_target_lsn", lsn.description))
        case .xid(let xid): lines.append(("recovery_target_xid", String(xid)))
        case .name(let name): lines.append(("recovery_target_name", name))
        case .immediate: lines.append(("recovery_target", "immediate"))
        case .latest: break
        }
        if !inclusive { lines.append(("recovery_target_inclusive", "false")) }
        lines.append(("recovery_target_timeline", timeline.description))
        if point != .latest { lines.append(("recovery_target_action", "promote")) }
        return lines
    }

    /// `time 2026-11-21 10:15:00+00:00 (inclusive) on the latest timeline`, for messages.
    public var description: String {
        var text = Self.describe(point)
        switch point {
        case .time, .lsn, .xid: text += inclusive ? " (inclusive)" : " (exclusive)"
        default: break
        }
        switch timeline {
        case .latest: text += " on the latest timeline"
        case .current: text += " on the base backup's timeline"
        case .number(let n): text += " on timeline \(n)"
        }
        return text
    }

    static func describe(_ point: Point) -> String {
        switch point {
        case .time(let time): "time \(time.postgresText)"
        case .lsn(let lsn): "LSN \(lsn)"
        case .xid(let xid): "transaction \(xid)"
        case .name(let name): "restore point \"\(name)\""
        case .immediate: "immediate (the end of the base backup)"
        case .latest: "latest (the end of the archive)"
        }
    }

    /// Quotes a value for `postgresql.conf`: single quotes, a quote doubled, backslashes doubled.
    public static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
