import KubernetesModels

/// How many backups to keep.
public struct RetentionSpec: Codable, Sendable, Hashable {
    /// Keep this many newest backups of each kind.
    public var keepLast: Int?
    /// Keep the newest backup of each of this many days.
    public var daily: Int?
    /// Keep the newest backup of each of this many ISO weeks.
    public var weekly: Int?
    /// Keep the newest backup of each of this many months.
    public var monthly: Int?
    /// Keep the newest backup of each of this many years.
    public var yearly: Int?
    /// Delete backups older than this (e.g. `90d`) unless a count above keeps them.
    public var maxAge: String?

    /// Creates a retention spec.
    public init(keepLast: Int? = nil, daily: Int? = nil, weekly: Int? = nil, monthly: Int? = nil, yearly: Int? = nil, maxAge: String? = nil) {
        self.keepLast = keepLast
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.yearly = yearly
        self.maxAge = maxAge
    }

    /// The counts with their field names, in declaration order.
    public var counts: [(field: String, value: Int?)] {
        [("keepLast", keepLast), ("daily", daily), ("weekly", weekly), ("monthly", monthly), ("yearly", yearly)]
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Which backups the prune step after each run keeps. A backup kept by any rule stays. The newest good backup of each kind is never deleted. Without this section nothing is deleted.",
        [
            .init("keepLast", .integer("Keep this many newest backups of each kind.", minimum: 0)),
            .init("daily", .integer("Keep the newest backup of each of the last N days.", minimum: 0)),
            .init("weekly", .integer("Keep the newest backup of each of the last N weeks.", minimum: 0)),
            .init("monthly", .integer("Keep the newest backup of each of the last N months.", minimum: 0)),
            .init("yearly", .integer("Keep the newest backup of each of the last N years.", minimum: 0)),
            .init("maxAge", .string("Backups older than this are deleted unless a count above keeps them, e.g. 90d. Units: s, m, h, d, w.", pattern: PolicyDuration.pattern)),
        ],
        rules: [.init(
            ["keepLast", "daily", "weekly", "monthly", "yearly"].map { "(!has(self.\($0)) || self.\($0) >= 0)" }.joined(separator: " && "),
            message: "retention counts (keepLast, daily, weekly, monthly, yearly) must be 0 or more"
        )]
    )
}
