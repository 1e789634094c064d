import KubernetesModels

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
