/// `metav1.LabelSelector`: equality (`matchLabels`) and set-based (`matchExpressions`) label matching.
public struct LabelSelector: Codable, Sendable, Hashable {
    /// Labels that must all be present with these values.
    public var matchLabels: [String: String]?
    /// Set-based requirements, all of which must hold.
    public var matchExpressions: [LabelSelectorRequirement]?

    /// Creates a selector.
    public init(matchLabels: [String: String]? = nil, matchExpressions: [LabelSelectorRequirement]? = nil) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }
}

/// One set-based requirement of a `LabelSelector`.
public struct LabelSelectorRequirement: Codable, Sendable, Hashable {
    /// The label key.
    public var key: String
    /// `In`, `NotIn`, `Exists` or `DoesNotExist`.
    public var `operator`: String
    /// Values for `In` / `NotIn`.
    public var values: [String]?

    /// Creates a requirement.
    public init(key: String, operator: String, values: [String]? = nil) {
        self.key = key
        self.operator = `operator`
        self.values = values
    }
}
