import Foundation
import KubernetesModels
import LifeboatAPI
import Testing

@Suite struct SchemaValidationTests {
    static func object(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func policyJSON() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(PolicySamples.minimal()))
    }

    @Test func givenAValidPolicy_whenCheckedAgainstTheSchema_thenThereAreNoViolations() throws {
        #expect(BackupPolicy.schema.violations(of: try Self.policyJSON()) == [])
        let full = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(PolicySamples.fullyPopulatedValid()))
        #expect(BackupPolicy.schema.violations(of: full) == [])
    }

    @Test func givenNegativeRetention_whenChecked_thenTheViolationIsWordedLikeTheRealServers() throws {
        // 08a: "Invalid value: -1: spec.retention.daily in body should be greater than or equal to 0".
        guard case .object(var root) = try Self.policyJSON(), case .object(var spec)? = root["spec"] else { Issue.record("not an object"); return }
        spec["retention"] = .object(["daily": .number(-1)])
        root["spec"] = .object(spec)
        let violations = BackupPolicy.schema.violations(of: .object(root))
        #expect(violations == [SchemaViolation(
            reason: "FieldValueInvalid", field: "spec.retention.daily",
            message: "Invalid value: -1: spec.retention.daily in body should be greater than or equal to 0"
        )])
    }

    @Test(arguments: [
        (#"{"host": "db", "credentials": {"name": "s"}, "port": 70000}"#, "spec.server.port", "FieldValueInvalid"),
        (#"{"host": "db", "credentials": {"name": "s"}, "port": "5432"}"#, "spec.server.port", "FieldValueTypeInvalid"),
        (#"{"credentials": {"name": "s"}}"#, "spec.server.host", "FieldValueRequired"),
        (#"{"host": "db", "credentials": {"name": "s"}, "tls": {"sslMode": "verify_full"}}"#, "spec.server.tls.sslMode", "FieldValueNotSupported"),
        (#"{"host": "", "credentials": {"name": "s"}}"#, "spec.server.host", "FieldValueInvalid"),
    ])
    func givenABrokenServerSection_whenChecked_thenTheFieldAndReasonAreReported(server: String, field: String, reason: String) throws {
        guard case .object(var root) = try Self.policyJSON(), case .object(var spec)? = root["spec"] else { Issue.record("not an object"); return }
        spec["server"] = try Self.object(server)
        root["spec"] = .object(spec)
        let violations = BackupPolicy.schema.violations(of: .object(root))
        #expect(violations.map(\.field) == [field])
        #expect(violations.first?.reason == reason)
    }

    @Test func givenABadDurationAndTooManyRuns_whenChecked_thenPatternAndMaxItemsAreEnforced() throws {
        guard case .object(var root) = try Self.policyJSON(), case .object(var spec)? = root["spec"] else { Issue.record("not an object"); return }
        spec["freshness"] = .string("1 day")
        root["spec"] = .object(spec)
        let run = try Self.object(#"{"kind": "logical", "outcome": "Succeeded", "time": "2026-11-21T02:31:02Z"}"#)
        root["status"] = .object(["recentRuns": .array(Array(repeating: run, count: 11))])
        let violations = BackupPolicy.schema.violations(of: .object(root))
        #expect(violations.map(\.field) == ["spec.freshness", "status.recentRuns"])
        #expect(violations.first?.message.contains("should match '^([0-9]+(s|m|h|d|w))+$'") == true)
        #expect(violations.last?.reason == "FieldValueTooMany")
    }
}
