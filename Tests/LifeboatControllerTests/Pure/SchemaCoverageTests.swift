import Foundation
import KubernetesModels
import LifeboatAPI
import Testing

/// The schema tree and the Codable types must describe the same JSON: every key a fully populated sample encodes is in
/// the schema with a matching type, and every schema property is encoded by the sample.
@Suite struct SchemaCoverageTests {
    @Test func givenFullyPopulatedPolicy_whenEncoded_thenEveryKeyIsInTheSchemaAndEverySchemaPropertyIsEncoded() throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(PolicySamples.fullyPopulated()))
        let problems = SchemaWalker.mismatches(json, BackupPolicy.schema, path: "")
        #expect(problems.isEmpty, "schema and Codable keys differ:\n\(problems.joined(separator: "\n"))")
    }

    @Test func givenWorkerResultsStatusRecord_whenEncoded_thenRecentRunIsFlatWithKindAndOutcome() throws {
        let run = RecentRun(kind: .base, outcome: .failed, record: RunRecord(time: "2026-11-21T02:31:02Z", message: "disk full"))
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(run))
        #expect(json["kind"] == .string("base"))
        #expect(json["outcome"] == .string("Failed"))
        #expect(json["message"] == .string("disk full"))
        #expect(json["record"] == nil)
        #expect(try JSONDecoder().decode(RecentRun.self, from: JSONEncoder().encode(run)) == run)
    }

    @Test func givenFullyPopulatedPolicy_whenEncodedAndDecoded_thenItIsUnchanged() throws {
        let policy = PolicySamples.fullyPopulated()
        let decoded = try JSONDecoder().decode(BackupPolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }

    @Test func givenQuantitiesWrittenAsNumbers_whenDecoded_thenTheyBecomeStrings() throws {
        let text = #"{"limits":{"cpu":2,"memory":"1Gi"},"requests":{"cpu":0.5}}"#
        let resources = try JSONDecoder().decode(ResourceRequirementsSpec.self, from: Data(text.utf8))
        #expect(resources.limits?["cpu"]?.description == "2")
        #expect(resources.limits?["memory"]?.description == "1Gi")
        #expect(resources.requests?["cpu"]?.description == "0.5")
    }

    @Test func givenMinimalServerJSON_whenDecoded_thenOmittedFieldsAreNilAndDefaultsApply() throws {
        let text = #"{"host":"db","all":true,"user":"u","credentials":{"name":"pg"}}"#
        let server = try JSONDecoder().decode(PostgresServerSpec.self, from: Data(text.utf8))
        #expect(server.port == nil)
        #expect(server.effectivePort == 5432)
        #expect(server.credentials.effectivePasswordKey == "password")
        #expect(server.tls?.effectiveSSLMode ?? PostgresTLS.defaultSSLMode == .verifyFull)
    }

    @Test func givenTheSchemaTree_whenWalked_thenEveryNodeHasADescriptionAndRequiredFieldsAreProperties() {
        var problems: [String] = []
        SchemaWalker.visit(BackupPolicy.schema, path: "") { node, path in
            if node.description.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("\(path): no description") }
            if let value = node.defaultValue, !node.enumValues.isEmpty, case .string(let text) = value, !node.enumValues.contains(text) {
                problems.append("\(path): default \(text) not in enum")
            }
            if node.kind == .object, !node.properties.isEmpty, node.additionalProperties != nil {
                problems.append("\(path): properties and additionalProperties together are not structural")
            }
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}

/// Compares JSON values with schema nodes.
enum SchemaWalker {
    static func mismatches(_ value: JSONValue, _ schema: SchemaNode, path: String) -> [String] {
        let here = path.isEmpty ? "." : path
        switch schema.kind {
        case .object:
            guard case .object(let members) = value else { return ["\(here): encoded \(value) but the schema says object"] }
            if let values = schema.additionalProperties {
                return members.sorted { $0.key < $1.key }.flatMap { mismatches($0.value, values, path: "\(path)[\($0.key)]") }
            }
            if schema.properties.isEmpty { return [] }  // e.g. metadata: left to the API server's own schema
            var problems: [String] = []
            let names = Set(schema.properties.map(\.name))
            for key in members.keys.sorted() where !names.contains(key) {
                problems.append("\(path).\(key): encoded but missing from the schema")
            }
            for property in schema.properties {
                guard let member = members[property.name] else {
                    problems.append("\(path).\(property.name): in the schema but not encoded by the fully populated sample")
                    continue
                }
                problems += mismatches(member, property.node, path: "\(path).\(property.name)")
            }
            return problems
        case .array:
            guard case .array(let items) = value, let itemSchema = schema.items else { return ["\(here): expected an array"] }
            if items.isEmpty { return ["\(here): the sample's array is empty, so its items are not checked"] }
            return items.enumerated().flatMap { mismatches($0.element, itemSchema, path: "\(path)[\($0.offset)]") }
        case .string:
            guard case .string(let text) = value else { return ["\(here): encoded \(value) but the schema says string"] }
            if !schema.enumValues.isEmpty, !schema.enumValues.contains(text) { return ["\(here): \(text) not in enum \(schema.enumValues)"] }
            return []
        case .integer:
            guard case .number(let number) = value, number.rounded() == number else { return ["\(here): encoded \(value) but the schema says integer"] }
            return []
        case .number:
            guard case .number = value else { return ["\(here): encoded \(value) but the schema says number"] }
            return []
        case .boolean:
            guard case .bool = value else { return ["\(here): encoded \(value) but the schema says boolean"] }
            return []
        case .intOrString:
            switch value {
            case .string, .number: return []
            default: return ["\(here): encoded \(value) but the schema says int-or-string"]
            }
        case .any:
            guard case .object = value else { return ["\(here): encoded \(value) but the schema says object"] }
            return []
        }
    }

    static func visit(_ node: SchemaNode, path: String, _ body: (SchemaNode, String) -> Void) {
        body(node, path.isEmpty ? "." : path)
        for property in node.properties { visit(property.node, path: "\(path).\(property.name)", body) }
        if let items = node.items { visit(items, path: "\(path)[]", body) }
        if let values = node.additionalProperties { visit(values, path: "\(path){}", body) }
    }
}
