import Foundation
import LifeboatAPI

/// Computes `status.nextScheduledRun` from a policy's schedules, the same way the children's CronJobs will fire.
public enum NextScheduledRuns {
    /// The next run of each scheduled, unsuspended backup kind after `date` (RFC 3339, UTC, whole seconds).
    /// Kinds with an invalid schedule or time zone are left out; validation reports those.
    public static func compute(for policy: BackupPolicy, after date: Date) -> ScheduledRuns {
        guard let spec = policy.spec else { return ScheduledRuns() }
        var runs = ScheduledRuns()
        for kind in BackupKind.allCases {
            guard let schedule = spec.schedules[kind], schedule.suspend != true else { continue }
            let resolved = SeededSchedule.resolve(
                schedule.schedule, namespace: policy.metadata.namespace ?? "", name: policy.metadata.name ?? "", salt: kind.rawValue
            )
            let zoneName = schedule.timeZone ?? "UTC"
            guard TimeZoneNames.isValid(zoneName), let zone = TimeZone(identifier: zoneName),
                  let cron = try? CronExpression(resolved), let next = cron.nextRun(after: date, in: zone) else { continue }
            let text = next.formatted(Self.format)
            if kind == .logical { runs.logical = text } else { runs.base = text }
        }
        return runs
    }

    /// RFC 3339 in UTC with whole seconds (`2026-11-21T02:13:00Z`); a format style, not an `ISO8601DateFormatter`,
    /// whose creation on every reconcile cost more than the schedule arithmetic.
    private static let format = Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!)
}
