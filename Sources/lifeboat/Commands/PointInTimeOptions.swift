import ArgumentParser
import BackupEngine
import Foundation

/// The options of `lifeboat restore --kind point-in-time`.
struct PointInTimeOptions: ParsableArguments {
    @Option(name: .customLong("pgdata"), help: ArgumentHelp("Point-in-time: the new or empty data directory to restore into.", valueName: "dir"))
    var dataDirectory: String?

    @Option(name: .customLong("target-time"), help: ArgumentHelp("Point-in-time: stop at this commit time (RFC 3339 or PostgreSQL's format, with a zone).", valueName: "time"))
    var time: String?

    @Option(name: .customLong("target-lsn"), help: ArgumentHelp("Point-in-time: stop at this WAL position, e.g. 0/3000148.", valueName: "lsn"))
    var lsn: String?

    @Option(name: .customLong("target-xid"), help: ArgumentHelp("Point-in-time: stop at the commit of this transaction id.", valueName: "xid"))
    var xid: String?

    @Option(name: .customLong("target-name"), help: ArgumentHelp("Point-in-time: stop at this restore point (pg_create_restore_point).", valueName: "name"))
    var name: String?

    @Option(name: .customLong("target"), help: ArgumentHelp("Point-in-time: `immediate` (stop as soon as the base backup is consistent) or `latest` (replay all archived WAL; the default).", valueName: "immediate|latest"))
    var special: String?

    @Flag(name: .customLong("exclusive"), help: "Point-in-time: stop just before the target time, LSN or transaction instead of just after it.")
    var exclusive = false

    @Option(name: .customLong("target-timeline"), help: ArgumentHelp("Point-in-time: `latest` (default), `current` (the base backup's), or a timeline number.", valueName: "timeline"))
    var timeline: String = "latest"

    @Option(name: .customLong("backup"), help: ArgumentHelp("Point-in-time: start from this base backup instead of the one lifeboat picks.", valueName: "id"))
    var backupId: String?

    @Flag(name: .customLong("plan-only"), help: "Point-in-time: check the target against the recovery window and print the plan; touch nothing.")
    var planOnly = false

    @Flag(name: .customLong("no-archive"), help: "Point-in-time: set archive_mode = off in the restored server, so a rehearsal never archives into the repository.")
    var noArchive = false

    @Option(name: .customLong("prefetch"), help: "Point-in-time: the restore_command reads this many segments ahead in a background process while PostgreSQL replays (wal-fetch --prefetch N --async; default 8, 0: none).")
    var prefetch: Int = 8

    @Flag(name: .customLong("start"), help: "Point-in-time: start PostgreSQL on the restored directory, wait until recovery ends and it promotes, report the point reached, and leave it running.")
    var start = false

    @Option(name: .customLong("start-port"), help: "Point-in-time with --start: the port the restored server listens on (127.0.0.1; default: a free port).")
    var port: Int?

    @Option(name: .customLong("start-timeout"), help: "Point-in-time with --start: how long recovery may take (default 1h).")
    var startTimeout: String = "1h"

    /// Whether any point-in-time option was given (they are refused with a logical restore).
    var anyGiven: Bool {
        dataDirectory != nil || time != nil || lsn != nil || xid != nil || name != nil || special != nil || exclusive || timeline != "latest"
            || backupId != nil || planOnly || noArchive || start || port != nil || prefetch != 8
    }

    /// Checks the combination.
    func validate() throws {
        let targets = [time, lsn, xid, name, special].compactMap { $0 }
        guard targets.count <= 1 else {
            throw ValidationError("give one target: --target-time, --target-lsn, --target-xid, --target-name or --target immediate|latest")
        }
        if let special, !["immediate", "latest"].contains(special) {
            throw ValidationError("--target is `immediate` or `latest`; for a time, a position, a transaction or a name use --target-time, --target-lsn, --target-xid or --target-name")
        }
        if RecoveryTarget.Timeline(timeline) == nil { throw ValidationError("--target-timeline is latest, current or a timeline number") }
        if (port != nil || startTimeout != "1h") && !start { throw ValidationError("--start-port and --start-timeout go with --start") }
        if !(0...64).contains(prefetch) { throw ValidationError("--prefetch must be between 0 and 64") }
        if start && planOnly { throw ValidationError("--start and --plan-only exclude each other") }
        if DurationText.parse(startTimeout) == nil { throw ValidationError("--start-timeout \"\(startTimeout)\" is not a duration; write e.g. 30m") }
        if exclusive, time == nil, lsn == nil, xid == nil { throw ValidationError("--exclusive goes with --target-time, --target-lsn or --target-xid") }
    }

    /// The target these options describe.
    func target() throws -> RecoveryTarget {
        let point: RecoveryTarget.Point
        if let time { point = .time(try TargetTime(parsing: time)) }
        else if let lsn { point = .lsn(try RecoveryTarget.parseLSN(lsn)) }
        else if let xid { point = .xid(try RecoveryTarget.parseXid(xid)) }
        else if let name { point = .name(name) }
        else if special == "immediate" { point = .immediate }
        else { point = .latest }
        return try RecoveryTarget(point: point, inclusive: !exclusive, timeline: RecoveryTarget.Timeline(timeline) ?? .latest)
    }
}
