import Foundation
import KubernetesModels

/// Swift equivalents of the CEL rules in `BackupPolicy.schema`, for emulating the CRD where no CEL engine runs (the
/// test API server). Keyed by the rule's text; a test checks that every rule has one and that each answers like a
/// real CEL implementation on the same values.
public enum CELRuleEmulation {
    /// The evaluator of each rule text: `self` in, whether the rule holds out.
    public static let evaluators: [String: @Sendable (JSONValue) -> Bool] = {
        var table: [String: @Sendable (JSONValue) -> Bool] = [:]
        for rule in allRules(of: BackupPolicy.schema) {
            if let evaluator = evaluator(for: rule.rule) { table[rule.rule] = evaluator }
        }
        return table
    }()

    /// Every rule in `schema`, in tree order.
    public static func allRules(of schema: SchemaNode) -> [SchemaNode.Rule] {
        schema.rules + schema.properties.flatMap { allRules(of: $0.node) } + (schema.items.map(allRules(of:)) ?? [])
    }

    /// What the API server answers for `object`: the OpenAPI violations, or when there are none, the violated CEL
    /// rules (the server skips CEL when the schema check fails, 08a).
    public static func apiServerViolations(of object: JSONValue, schema: SchemaNode = BackupPolicy.schema) -> [SchemaViolation] {
        let openAPI = schema.violations(of: object)
        if !openAPI.isEmpty { return openAPI }
        return celViolations(of: object, schema: schema, path: "")
    }

    static func celViolations(of value: JSONValue, schema: SchemaNode, path: String) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        for rule in schema.rules where evaluators[rule.rule]?(value) == false {
            found.append(SchemaViolation(reason: "FieldValueInvalid", field: path.isEmpty ? "<root>" : path, message: "Invalid value: \(rule.message)"))
        }
        for property in schema.properties {
            guard let member = value[property.name] else { continue }
            found += celViolations(of: member, schema: property.node, path: path.isEmpty ? property.name : "\(path).\(property.name)")
        }
        return found
    }

    // The CEL texts live next to the types; these must say the same thing.
    private static func evaluator(for rule: String) -> (@Sendable (JSONValue) -> Bool)? {
        switch rule {
        case "has(self.s3) != has(self.volume)":
            return { ($0["s3"] != nil) != ($0["volume"] != nil) }
        case "has(self.logical) || has(self.base)":
            return { $0["logical"] != nil || $0["base"] != nil }
        case "(has(self.databases) && size(self.databases) > 0) != (has(self.all) && self.all)":
            return { value in
                var listed = false
                if case .array(let items)? = value["databases"] { listed = !items.isEmpty }
                return listed != (value["all"] == .bool(true))
            }
        case "has(self.user) || has(self.credentials.usernameKey)":
            return { $0["user"] != nil || $0["credentials"]?["usernameKey"] != nil }
        case "self.matches('\(ScheduleSpec.schedulePattern)')":
            let pattern = ScheduleSpec.schedulePattern
            return { value in
                guard case .string(let text) = value, let regex = try? NSRegularExpression(pattern: pattern) else { return false }
                return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            }
        default:
            if rule.hasPrefix("(!has(self.keepLast)") {
                return { value in
                    ["keepLast", "daily", "weekly", "monthly", "yearly"].allSatisfy { key in
                        guard case .number(let number)? = value[key] else { return true }
                        return number >= 0
                    }
                }
            }
            return nil
        }
    }
}
