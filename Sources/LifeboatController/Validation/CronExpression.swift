import Foundation

/// A parsed five-field cron expression, checked the way the Kubernetes CronJob validation (robfig/cron v3) checks it.
public struct CronExpression: Sendable, Hashable {
    /// One field's description: its name in messages and its bounds.
    public struct Field: Sendable, Hashable {
        /// Name used in messages, e.g. `minute`.
        public var name: String
        /// Smallest value.
        public var minimum: Int
        /// Largest value.
        public var maximum: Int
        /// Accepted names (`JAN` … or `SUN` …) mapped to values.
        public var names: [String: Int]
    }

    /// The five fields in order.
    public static let fields: [Field] = [
        Field(name: "minute", minimum: 0, maximum: 59, names: [:]),
        Field(name: "hour", minimum: 0, maximum: 23, names: [:]),
        Field(name: "day of month", minimum: 1, maximum: 31, names: [:]),
        Field(name: "month", minimum: 1, maximum: 12, names: Dictionary(uniqueKeysWithValues:
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated().map { ($1, $0 + 1) })),
        Field(name: "day of week", minimum: 0, maximum: 6, names: Dictionary(uniqueKeysWithValues:
            ["sun", "mon", "tue", "wed", "thu", "fri", "sat"].enumerated().map { ($1, $0) })),
    ]

    /// The macros the CronJob controller accepts.
    public static let macros: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]

    /// The allowed values of each field (for a macro, its expansion).
    public var values: [Set<Int>]
    /// Whether each field was written starting with `*` or `?` (robfig/cron: when day-of-month or day-of-week is
    /// starred, a day must match both; otherwise either).
    public var starred: [Bool]

    /// Parses `text`; throws a `CronError` whose message says what is wrong.
    public init(_ text: String) throws(CronError) {
        (self.values, self.starred) = try Self.parseValues(text)
    }

    private static func parseValues(_ text: String) throws(CronError) -> ([Set<Int>], [Bool]) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw CronError("empty schedule") }
        if trimmed.hasPrefix("TZ=") || trimmed.hasPrefix("CRON_TZ=") {
            throw CronError("cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
        }
        if trimmed.hasPrefix("@") {
            guard let expansion = Self.expand(macro: trimmed.lowercased()) else {
                throw CronError("unrecognized descriptor: \(trimmed)")
            }
            return try parseValues(expansion)
        }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else {
            throw CronError("expected exactly 5 fields (minute hour day-of-month month day-of-week), found \(parts.count): \(trimmed)")
        }
        var values: [Set<Int>] = []
        for (part, field) in zip(parts, Self.fields) {
            values.append(try parse(part, field: field))
        }
        return (values, parts.map { $0.hasPrefix("*") || $0.hasPrefix("?") })
    }

    /// The five-field form of a macro, or nil.
    static func expand(macro: String) -> String? {
        switch macro {
        case "@yearly", "@annually": "0 0 1 1 *"
        case "@monthly": "0 0 1 * *"
        case "@weekly": "0 0 * * 0"
        case "@daily", "@midnight": "0 0 * * *"
        case "@hourly": "0 * * * *"
        default: nil
        }
    }

    private static func parse(_ text: String, field: Field) throws(CronError) -> Set<Int> {
        var result = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            result.formUnion(try parseRange(item, field: field))
        }
        return result
    }

    private static func parseRange(_ text: String, field: Field) throws(CronError) -> Set<Int> {
        if text.isEmpty { throw CronError("empty list item in \(field.name) field") }
        let stepParts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard stepParts.count <= 2 else { throw CronError("too many slashes: \(text)") }
        let rangeText = stepParts[0]
        var step = 1
        var start: Int
        var end: Int
        if rangeText == "*" || rangeText == "?" {
            start = field.minimum
            end = field.maximum
        } else {
            let bounds = rangeText.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard bounds.count <= 2 else { throw CronError("too many hyphens: \(text)") }
            start = try value(bounds[0], field: field, in: text)
            end = bounds.count == 2 ? try value(bounds[1], field: field, in: text) : start
        }
        if stepParts.count == 2 {
            guard let parsed = Int(stepParts[1]), stepParts[1].allSatisfy(\.isASCII) else {
                throw CronError("failed to parse int from \(stepParts[1]) in \(field.name) field")
            }
            step = parsed
            // robfig: "N/step" means N through the field's maximum.
            if rangeText != "*", rangeText != "?", !rangeText.contains("-") { end = field.maximum }
        }
        if start < field.minimum { throw CronError("beginning of range (\(start)) below minimum (\(field.minimum)): \(text)") }
        if end > field.maximum { throw CronError("end of range (\(end)) above maximum (\(field.maximum)): \(text)") }
        if start > end { throw CronError("beginning of range (\(start)) beyond end of range (\(end)): \(text)") }
        if step <= 0 { throw CronError("step of range should be a positive number: \(text)") }
        return Set(stride(from: start, through: end, by: step))
    }

    private static func value(_ text: String, field: Field, in whole: String) throws(CronError) -> Int {
        if let named = field.names[text.lowercased()] { return named }
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(text) else {
            throw CronError("failed to parse int from \(text) in \(field.name) field: \(whole)")
        }
        return number
    }
}
