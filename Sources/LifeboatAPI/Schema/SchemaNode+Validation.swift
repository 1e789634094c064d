import Foundation
import KubernetesModels

/// One OpenAPI schema violation, shaped like a cause of the API server's 422 answer (08a).
public struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
    /// `FieldValueInvalid`, `FieldValueRequired`, `FieldValueNotSupported`, `FieldValueTypeInvalid`, `FieldValueTooMany`.
    public var reason: String
    /// The JSON path without a leading dot, e.g. `spec.retention.daily`.
    public var field: String
    /// The server's wording, e.g. `Invalid value: -1: spec.retention.daily in body should be greater than or equal to 0`.
    public var message: String

    /// Creates a violation.
    public init(reason: String, field: String, message: String) {
        self.reason = reason
        self.field = field
        self.message = message
    }

    /// `field: message`.
    public var description: String { "\(field): \(message)" }
}

extension SchemaNode {
    /// The OpenAPI checks the API server makes before CEL rules (types, required, enum, minimum/maximum, lengths,
    /// pattern, maxItems), for emulating the CRD in the test API server. CEL rules are not evaluated here.
    public func violations(of value: JSONValue, path: String = "") -> [SchemaViolation] {
        let field = path.isEmpty ? "<root>" : path
        switch kind {
        case .any:
            return []
        case .intOrString:
            switch value {
            case .string, .number: return []
            default: return [typeViolation(value, field: field, expected: "integer or string")]
            }
        case .object:
            guard case .object(let members) = value else { return [typeViolation(value, field: field, expected: "object")] }
            var found: [SchemaViolation] = []
            for property in properties {
                let childPath = path.isEmpty ? property.name : "\(path).\(property.name)"
                if let member = members[property.name], member != .null {
                    found += property.node.violations(of: member, path: childPath)
                } else if property.required {
                    found.append(SchemaViolation(reason: "FieldValueRequired", field: childPath, message: "Required value"))
                }
            }
            if let values = additionalProperties {
                for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                    found += values.violations(of: member, path: "\(path)[\(key)]")
                }
            }
            return found
        case .array:
            guard case .array(let elements) = value else { return [typeViolation(value, field: field, expected: "array")] }
            var found: [SchemaViolation] = []
            if let maxItems, elements.count > maxItems {
                found.append(SchemaViolation(reason: "FieldValueTooMany", field: field, message: "Too many: \(elements.count): must have at most \(maxItems) items"))
            }
            if let items {
                for (index, element) in elements.enumerated() { found += items.violations(of: element, path: "\(path)[\(index)]") }
            }
            return found
        case .string:
            guard case .string(let text) = value else { return [typeViolation(value, field: field, expected: "string")] }
            return stringViolations(text, field: field)
        case .integer:
            guard case .number(let number) = value, number.rounded() == number else { return [typeViolation(value, field: field, expected: "integer")] }
            return rangeViolations(number, field: field)
        case .number:
            guard case .number(let number) = value else { return [typeViolation(value, field: field, expected: "number")] }
            return rangeViolations(number, field: field)
        case .boolean:
            guard case .bool = value else { return [typeViolation(value, field: field, expected: "boolean")] }
            return []
        }
    }

    private func stringViolations(_ text: String, field: String) -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        let quoted = "\"\(text)\""
        if !enumValues.isEmpty, !enumValues.contains(text) {
            let supported = enumValues.map { "\"\($0)\"" }.joined(separator: ", ")
            found.append(SchemaViolation(reason: "FieldValueNotSupported", field: field, message: "Unsupported value: \(quoted): supported values: \(supported)"))
        }
        if let minLength, text.count < minLength {
            found.append(SchemaViolation(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(quoted): \(field) in body should be at least \(minLength) chars long"))
        }
        if let maxLength, text.count > maxLength {
            found.append(SchemaViolation(reason: "FieldValueTooLong", field: field, message: "Too long: may not be more than \(maxLength) bytes"))
        }
        if let pattern, let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            found.append(SchemaViolation(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(quoted): \(field) in body should match '\(pattern)'"))
        }
        return found
    }

    private func rangeViolations(_ number: Double, field: String) -> [SchemaViolation] {
        let shown = number.rounded() == number ? String(Int64(number)) : String(number)
        var found: [SchemaViolation] = []
        if let minimum, number < Double(minimum) {
            found.append(SchemaViolation(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(shown): \(field) in body should be greater than or equal to \(minimum)"))
        }
        if let maximum, number > Double(maximum) {
            found.append(SchemaViolation(reason: "FieldValueInvalid", field: field, message: "Invalid value: \(shown): \(field) in body should be less than or equal to \(maximum)"))
        }
        return found
    }

    private func typeViolation(_ value: JSONValue, field: String, expected: String) -> SchemaViolation {
        let actual: String
        switch value {
        case .null: actual = "null"
        case .bool: actual = "boolean"
        case .number(let number): actual = number.rounded() == number ? "integer" : "number"
        case .string: actual = "string"
        case .array: actual = "array"
        case .object: actual = "object"
        }
        return SchemaViolation(reason: "FieldValueTypeInvalid", field: field, message: "Invalid value: \"\(actual)\": \(field) in body must be of type \(expected): \"\(actual)\"")
    }
}
