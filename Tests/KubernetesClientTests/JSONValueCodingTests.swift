import Foundation
import KubernetesModels
import Testing
import Yams
@testable import KubernetesClient

/// `JSONValue` decoding (objects and arrays recognised before scalars), `JSONValue(encoding:)` (a tree built without
/// JSON text) and skipping `managedFields`, against the captured kube-apiserver bodies.
@Suite("JSONValue coding and managedFields")
struct JSONValueCodingTests {
    private static func responseBody(_ file: String, _ number: Int) throws -> Data {
        let exchange = try WireSamples.exchange(file, number)
        return Data(try #require(exchange.response).body.utf8)
    }

    @Test("given JSON of every kind nested, when decoded as JSONValue, then each value keeps its kind")
    func decodesEveryKind() throws {
        let json = #"{"a":[1,2.5,true,null,"s",{"b":{}},[]],"c":{"d":{"e":{"f":"deep"}}},"g":false,"h":-3}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        let expected: JSONValue = .object([
            "a": .array([.number(1), .number(2.5), .bool(true), .null, .string("s"), .object(["b": .object([:])]), .array([])]),
            "c": .object(["d": .object(["e": .object(["f": .string("deep")])])]),
            "g": .bool(false),
            "h": .number(-3),
        ])
        #expect(value == expected)
    }

    @Test("given YAML with untyped scalars, when decoded as JSONValue, then true is a bool, 7 a number and text a string")
    func decodesYAMLScalarsInTheOldOrder() throws {
        let value = try YAMLDecoder().decode(JSONValue.self, from: "flag: true\ncount: 7\nname: text\nlist: [a, 1]\nnested: {k: v}\n")
        #expect(value == .object([
            "flag": .bool(true), "count": .number(7), "name": .string("text"),
            "list": .array([.string("a"), .number(1)]), "nested": .object(["k": .string("v")]),
        ]))
    }

    @Test("given the managedFields of a server-side apply (07a), when decoded, then the fieldsV1 tree is read to its empty-object leaves")
    func decodesManagedFieldsTree() throws {
        let policy = try JSONDecoder().decode(TestPolicy.self, from: Self.responseBody("07a-ssa-create-and-reapply", 1))
        let entry = try #require(policy.metadata.managedFields?.first)
        #expect(entry["operation"] == .string("Apply"))
        #expect(entry["fieldsV1"]?["f:spec"]?["f:schedule"] == .object([:]))
    }

    @Test("given a decoder told to skip managedFields, when a CronJob (14a) is decoded, then managedFields is nil and the rest is read",
          arguments: [("14a-cronjob-create-defaults", 1), ("14a-cronjob-create-defaults", 2)])
    func skipsManagedFields(file: String, number: Int) throws {
        let body = try Self.responseBody(file, number)
        let full = try JSONDecoder().decode(CronJob.self, from: body)
        #expect(full.metadata.managedFields?.isEmpty == false)
        let decoder = JSONDecoder()
        decoder.userInfo[.skipManagedFields] = true
        let trimmed = try decoder.decode(CronJob.self, from: body)
        #expect(trimmed.metadata.managedFields == nil)
        var expected = full
        expected.metadata.managedFields = nil
        #expect(trimmed == expected)
    }

    @Test("given captured objects of several kinds, when built with JSONValue(encoding:), then the tree equals JSONEncoder's text decoded",
          arguments: [
            ("14a-cronjob-create-defaults", 1, "CronJob"), ("14c-cronjob-job-complete", 1, "Job"),
            ("14d-cronjob-pod-succeeded", 1, "Pod"), ("16a-lease", 1, "Lease"), ("17a-events-k8s-io-v1", 1, "Event"),
          ])
    func encodingMatchesJSONEncoder(file: String, number: Int, kind: String) throws {
        let body = try Self.responseBody(file, number)
        func check<T: Codable>(_ type: T.Type) throws {
            let value = try JSONDecoder().decode(T.self, from: body)
            let viaText = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
            #expect(try JSONValue(encoding: value) == viaText)
        }
        switch kind {
        case "CronJob": try check(CronJob.self)
        case "Job": try check(Job.self)
        case "Pod": try check(Pod.self)
        case "Lease": try check(Lease.self)
        default: try check(Event.self)
        }
    }

    @Test("given optionals, nils, nested arrays and a JSONValue member, when built with JSONValue(encoding:), then nil members are left out and nothing else")
    func encodingKeepsShapes() throws {
        struct Sample: Encodable {
            var name: String
            var missing: String?
            var counts: [[Int32]]
            var free: JSONValue
            var flag: Bool
            var ratio: Double
        }
        let sample = Sample(name: "x", missing: nil, counts: [[1, 2], []], free: .object(["k": .null]), flag: true, ratio: 0.5)
        #expect(try JSONValue(encoding: sample) == .object([
            "name": .string("x"), "counts": .array([.array([.number(1), .number(2)]), .array([])]),
            "free": .object(["k": .null]), "flag": .bool(true), "ratio": .number(0.5),
        ]))
        #expect(try JSONValue(encoding: [String: String]()) == .object([:]))
    }

    @Test("given decodesManagedFields false, when a server-side apply answers with managedFields (07a), then the client returns the object without them")
    func clientSkipsManagedFields() async throws {
        let exchange = try WireSamples.exchange("07a-ssa-create-and-reapply", 1)
        let response = ReplayResponse.captured(try #require(exchange.response))
        try await ReplayServer.with([response]) { server in
            var configuration = KubernetesClientConfiguration(server: server.url, authentication: .bearerToken("test-token"), namespace: "demo")
            configuration.decodesManagedFields = false
            try await withKubernetesClient(configuration: configuration) { client in
                let policy = TestPolicy(
                    apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy",
                    metadata: ObjectMeta(name: "ssa-demo", namespace: "demo", labels: ["managed-by": "lifeboat", "extra": "yes"]),
                    spec: .object(["schedule": .string("0 4 * * *"), "retention": .object(["daily": .number(7)])])
                )
                let applied = try await client.apply(policy)
                #expect(applied.metadata.managedFields == nil)
                #expect(applied.metadata.name == "ssa-demo")
                #expect(applied.metadata.resourceVersion?.isEmpty == false)
            }
        }
    }
}
