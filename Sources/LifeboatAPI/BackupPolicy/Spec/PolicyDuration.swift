import KubernetesModels

/// A duration written like `26h`, `90d` or `1h30m` (units s, m, h, d, w).
public struct PolicyDuration: Sendable, Hashable, CustomStringConvertible {
    /// The pattern the CRD enforces on duration fields.
    public static let pattern = "^([0-9]+(s|m|h|d|w))+$"

    /// The length in seconds.
    public var seconds: Int64
    /// The text as written.
    public var description: String

    /// Parses `text`, or returns nil when it is not a duration.
    public init?(_ text: String) {
        var total: Int64 = 0
        var number: Int64? = nil
        for character in text {
            if let digit = character.wholeNumberValue, character.isASCII {
                let (times, overflow1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
                if overflow1 || overflow2 { return nil }
                number = sum
                continue
            }
            let unit: Int64
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3_600
            case "d": unit = 86_400
            case "w": unit = 604_800
            default: return nil
            }
            guard let value = number else { return nil }
            let (part, overflow1) = value.multipliedReportingOverflow(by: unit)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            if overflow1 || overflow2 { return nil }
            total = sum
            number = nil
        }
        guard number == nil, !text.isEmpty else { return nil }
        self.seconds = total
        self.description = text
    }
}
