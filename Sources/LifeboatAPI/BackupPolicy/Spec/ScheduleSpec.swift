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

/// The schedules of the two backup kinds.
public struct SchedulesSpec: Codable, Sendable, Hashable {
    /// Logical backups (`pg_dump` per database).
    public var logical: ScheduleSpec?
    /// Physical base backups (`pg_basebackup`), the starting point for point-in-time recovery.
    public var base: ScheduleSpec?

    /// Creates schedules.
    public init(logical: ScheduleSpec? = nil, base: ScheduleSpec? = nil) {
        self.logical = logical
        self.base = base
    }

    /// The schedule of `kind`.
    public subscript(kind: BackupKind) -> ScheduleSpec? {
        switch kind {
        case .logical: logical
        case .base: base
        }
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "When backups run. Each kind present gets its own CronJob; at least one kind is needed.",
        [
            .init("logical", ScheduleSpec.schema("Schedule of logical backups (pg_dump of each database): portable, restorable per database or table.")),
            .init("base", ScheduleSpec.schema("Schedule of physical base backups (pg_basebackup): the starting point for point-in-time recovery with WAL.")),
        ],
        rules: [.init("has(self.logical) || has(self.base)", message: "set at least one schedule: logical or base")]
    )
}

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

extension SchemaNode {
    /// The same node with a default value.
    public func withDefault(_ value: JSONValue) -> SchemaNode {
        var copy = self
        copy.defaultValue = value
        return copy
    }
}
