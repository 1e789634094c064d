import KubernetesModels

/// The periodic health check.
public struct CheckSpec: Codable, Sendable, Hashable {
    /// The schedule used when none is written.
    public static let defaultSchedule = "*/15 * * * *"

    /// Cron schedule of `lifeboat check` (default every 15 minutes).
    public var schedule: String?

    /// Creates a check spec.
    public init(schedule: String? = nil) {
        self.schedule = schedule
    }

    /// `schedule`, or its default.
    public var effectiveSchedule: String { schedule ?? Self.defaultSchedule }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "The periodic `lifeboat check` run that measures backup freshness and WAL archiving health.",
        [.init("schedule", ScheduleSpec.scheduleString.describing("Cron schedule of the health check, in UTC. The default runs every 15 minutes at a minute offset derived from the policy's namespace and name, so many policies do not check at once.").withDefault(.string(defaultSchedule)))]
    )
}
