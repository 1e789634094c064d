import ArgumentParser
import BackupEngine

/// Grandfather-father-son retention rules, shared by `prune` and `backup --prune`.
struct RetentionOptions: ParsableArguments {
    @Option(name: .customLong("keep-last"), help: "Keep the newest N backups.")
    var keepLast: Int = 0
    @Option(name: .customLong("keep-daily"), help: "Keep the newest backup of each of the last N days that have one.")
    var daily: Int = 0
    @Option(name: .customLong("keep-weekly"), help: "Keep the newest backup of each of the last N ISO weeks that have one.")
    var weekly: Int = 0
    @Option(name: .customLong("keep-monthly"), help: "Keep the newest backup of each of the last N months that have one.")
    var monthly: Int = 0
    @Option(name: .customLong("keep-yearly"), help: "Keep the newest backup of each of the last N years that have one.")
    var yearly: Int = 0
    @Option(name: .customLong("max-age"), help: "Delete backups older than this (e.g. 90d, 26h, 2w), whatever the other rules say; on its own, keep every backup younger than this. The newest good backup of each kind and database is always kept.")
    var maxAge: String?
    @Option(name: .customLong("pitr-window"), help: "How far back point-in-time recovery must reach (e.g. 7d): archived WAL is kept whole from the newest kept base backup started before that (default: from the oldest kept base backup); older kept base backups keep only the WAL that makes them consistent.")
    var pitrWindow: String?
    @Option(name: .customLong("garbage-grace"), help: "Objects without a manifest (interrupted backups) are removed once this old; must exceed your longest backup.")
    var grace: String = "48h"

    func policy() throws -> RetentionPolicy {
        var age: Double?
        if let maxAge {
            guard let parsed = DurationText.parse(maxAge) else { throw LifeboatError(.invalidInput, "--max-age \"\(maxAge)\" is not a duration", hint: "write e.g. 90d, 26h, 2w") }
            age = parsed
        }
        return try RetentionPolicy(keepLast: keepLast, daily: daily, weekly: weekly, monthly: monthly, yearly: yearly, maxAge: age)
    }

    func pitrWindowSeconds() throws -> Double? {
        guard let pitrWindow else { return nil }
        guard let value = DurationText.parse(pitrWindow), value > 0 else { throw LifeboatError(.invalidInput, "--pitr-window \"\(pitrWindow)\" is not a duration", hint: "write e.g. 7d") }
        return value
    }

    func graceSeconds() throws -> Double {
        guard let value = DurationText.parse(grace) else { throw LifeboatError(.invalidInput, "--garbage-grace \"\(grace)\" is not a duration", hint: "write e.g. 48h") }
        return value
    }
}
