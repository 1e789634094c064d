import KubernetesModels

/// When one kind of backup runs.
public struct ScheduleSpec: Codable, Sendable, Hashable {
    /// The shape a schedule must have (checked by the API server through CEL, and in full by the controller).
    /// No backslashes: the expression sits inside a CEL string literal.
    public static let schedulePattern =
        "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@(hourly|daily|weekly)-random|[^ ]+( +[^ ]+){4})$"

    /// Cron expression, a macro such as `@daily`, or a seeded `@daily-random`.
    public var schedule: String
    /// IANA time zone the schedule is read in (default UTC).
    public var timeZone: String?
    /// Stop scheduling new runs; running ones finish.
    public var suspend: Bool?

    /// Creates a schedule.
    public init(schedule: String, timeZone: String? = nil, suspend: Bool? = nil) {
        self.schedule = schedule
        self.timeZone = timeZone
        self.suspend = suspend
    }

    /// The schema of a schedule, described by `description`.
    public static func schema(_ description: String) -> SchemaNode {
        .object(description, [
            .init("schedule", scheduleString, required: true),
            .init("timeZone", .string("IANA time zone the schedule is read in, e.g. Europe/Berlin. Empty means UTC.", minLength: 1, maxLength: 64)),
            .init("suspend", .boolean("Stop starting new runs (running ones finish). Use it during maintenance instead of deleting the policy.", default: false)),
        ])
    }

    /// The schema of the `schedule` string, shared with the check schedule.
    public static let scheduleString = SchemaNode.string(
        "Five cron fields (minute hour day-of-month month day-of-week, e.g. `30 2 * * *`), a macro (@hourly, @daily, @weekly, @monthly, @yearly), or @hourly-random, @daily-random, @weekly-random: a fixed time derived from the policy's namespace and name, so many policies do not all start at once. Do not put CRON_TZ= here; use timeZone.",
        minLength: 1, maxLength: 128,
        rules: [.init(
            "self.matches('\(schedulePattern)')",
            message: "schedule must be five cron fields, a macro such as @daily, or @hourly-random/@daily-random/@weekly-random; put the time zone in timeZone, not CRON_TZ="
        )]
    )
}
