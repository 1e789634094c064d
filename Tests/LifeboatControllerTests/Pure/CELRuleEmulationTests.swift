import Foundation
import KubernetesModels
import LifeboatAPI
import Testing

@Suite struct CELRuleEmulationTests {
    @Test func givenEveryCELRuleInTheSchema_whenLookedUp_thenEachHasASwiftEquivalent() {
        let rules = CELRuleEmulation.allRules(of: BackupPolicy.schema)
        #expect(rules.count >= 6)
        for rule in rules { #expect(CELRuleEmulation.evaluators[rule.rule] != nil, "no emulation of \(rule.rule)") }
    }

    /// The same cases `CELRuleTests` checks with cel-python: the emulation must answer like real CEL.
    @Test(arguments: CELRuleTests.cases)
    func givenACaseCheckedWithRealCEL_whenEmulated_thenTheAnswersAgree(testCase: CELRuleTests.Case) throws {
        let node = try #require(Self.node(at: testCase.path))
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(testCase.value.utf8))
        let answers = node.rules.map { CELRuleEmulation.evaluators[$0.rule]?(value) }
        #expect(answers == testCase.expected.map(Optional.some))
    }

    @Test func givenAPolicyWithBothRepositories_whenTheAPIServerIsEmulated_thenTheRuleMessageIsReportedOnTheNode() throws {
        var policy = PolicySamples.minimal()
        policy.spec?.repository.volume = VolumeRepositorySpec(claimName: "backup-volume")
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(policy))
        #expect(CELRuleEmulation.apiServerViolations(of: json) == [SchemaViolation(
            reason: "FieldValueInvalid", field: "spec.repository", message: "Invalid value: set exactly one repository kind: s3 or volume"
        )])
    }

    @Test func givenASchemaViolationAndARuleViolation_whenEmulated_thenCELIsSkippedLikeTheRealServer() throws {
        var policy = PolicySamples.minimal()
        policy.spec?.repository.volume = VolumeRepositorySpec(claimName: "backup-volume")
        policy.spec?.retention = RetentionSpec(daily: -1)
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(policy))
        #expect(CELRuleEmulation.apiServerViolations(of: json).map(\.field) == ["spec.retention.daily"])
    }

    static func node(at path: String) -> SchemaNode? {
        path.split(separator: ".").reduce(Optional(BackupPolicy.schema)) { $0?[property: String($1)] }
    }
}
