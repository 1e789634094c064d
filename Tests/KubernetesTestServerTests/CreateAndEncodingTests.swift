import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Create and encoding")
struct CreateAndEncodingTests {
    @Test("given the 02b create request, when POSTed, then the answer has the sample's keys, order, defaults and managedFields")
    func givenSampleCreate_whenPosted_thenMatchesSample() async throws {
        let sample = try WireSample.load("02b-create-backuppolicy.txt")[0]
        try await withServer { server, client in
            let r = try await client.send(sample.method, sample.path, body: sample.requestBody)
            #expect(r.status == 201)
            #expect(r.header("Content-Type") == "application/json")
            #expect(r.header("Content-Length") == String(r.body.count))
            #expect(r.text.hasSuffix("}\n") && !r.text.dropLast().contains("\n"), "compact JSON plus one newline")
            let expected = try #require(sample.responseJSON)
            #expect(normalized(r.json!) == normalized(expected))
            #expect(WireSample.sameKeyOrder(r.text, sample.compactResponse))
            // Whole managedFields entry except the time, fieldsV1 included.
            var entry = try #require(r["metadata", "managedFields"]?.arrayValue?.first)
            var expectedEntry = try #require(expected[path: "metadata", "managedFields"]?.arrayValue?.first)
            entry["time"] = nil
            expectedEntry["time"] = nil
            #expect(entry == expectedEntry)
            #expect(r["metadata", "generation"] == .int(1))
            let rv = try #require(Int(r.resourceVersion ?? ""))
            #expect(rv == server.currentResourceVersion)
            #expect(r["metadata", "uid"]?.stringValue?.count == 36)
            let created = try #require(r["metadata", "creationTimestamp"]?.stringValue)
            #expect(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil)
            // GET returns the stored object byte for byte.
            let get = try await client.send("GET", sample.path + "/orders")
            #expect(get.status == 200 && get.body == r.body)
        }
    }

    @Test("given a Namespace create, then built-in key order, the metadata label and spec.finalizers are as in 02a")
    func givenNamespaceCreate_thenBuiltInOrderAndDefaults() async throws {
        let sample = try WireSample.load("02a-create-namespace.txt")[0]
        try await withServer(namespaces: []) { _, client in
            let r = try await client.send(sample.method, sample.path, body: sample.requestBody)
            #expect(r.status == 201)
            #expect(r.text.hasPrefix(#"{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"demo","uid":"#))
            #expect(WireSample.sameKeyOrder(r.text, sample.compactResponse, ignoring: ["metadata.managedFields"]))
            #expect(r["metadata", "labels"] == .object(["kubernetes.io/metadata.name": .string("demo")]))
            #expect(r["spec"] == .object(["finalizers": .array([.string("kubernetes")])]))
            #expect(r["status", "phase"] == .string("Active"))
            #expect(r["metadata", "generation"] == nil)
        }
    }

    @Test("given the 14a minimal CronJob, when created, then every server default and the Go key order match the sample")
    func givenMinimalCronJob_whenCreated_thenDefaultsMatchSample() async throws {
        let sample = try WireSample.load("14a-cronjob-create-defaults.txt")[0]
        try await withServer { _, client in
            let r = try await client.send(sample.method, sample.path, body: sample.requestBody)
            #expect(r.status == 201)
            let expected = try #require(sample.responseJSON)
            #expect(r["spec"] == expected["spec"])
            #expect(r["status"] == .object([:]))
            #expect(WireSample.sameKeyOrder(r.text, sample.compactResponse, ignoring: ["metadata.managedFields"]))
            // Go escapes > as \u003e.
            #expect(r.text.contains(#"' \u003e /dev/termination-log"#))
        }
    }

    @Test("given a Job, when created, then Job defaults, generated selector and labels appear and a large body is chunked")
    func givenJob_whenCreated_thenDefaultsAndChunked() async throws {
        try await withServer { _, client in
            let body = #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"failing-backup"},"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"backup","image":"busybox","command":["sh","-c","echo 'disk full' > /dev/termination-log; echo boom >&2; exit 3"]}]}}}}"#
            let r = try await client.send("POST", "/apis/batch/v1/namespaces/demo/jobs", body: body)
            #expect(r.status == 201)
            let uid = try #require(r["metadata", "uid"]?.stringValue)
            #expect(r["spec", "selector"] == .object(["matchLabels": .object(["batch.kubernetes.io/controller-uid": .string(uid)])]))
            #expect(r["spec", "completionMode"] == .string("NonIndexed"))
            #expect(r["spec", "backoffLimit"] == .int(0))
            #expect(r["metadata", "labels", "job-name"] == .string("failing-backup"))
            #expect(r.text.contains(#"\u003e\u00262; exit 3"#))
            let sample = try WireSample.load("15a-job-failed.txt")[1]
            #expect(WireSample.sameKeyOrder(r.text, sample.compactResponse, ignoring: ["metadata.managedFields", "status"]))
            // 2 KiB rule of Go's net/http (02a): bigger answers are chunked.
            if r.body.count > 2048 {
                #expect(r.header("Transfer-Encoding") == "chunked" && r.header("Content-Length") == nil)
            } else {
                #expect(r.header("Content-Length") == String(r.body.count))
            }
        }
    }

    @Test("given generateName and dryRun=All, then a name is generated and a dry run stores nothing (21b)")
    func givenGenerateNameAndDryRun_thenNameAndNothingStored() async throws {
        try await withServer { server, client in
            let r = try await client.send("POST", BackupPolicyCRD.bp, body: #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"generateName":"adhoc-","labels":{"batch":"gc-demo"}},"spec":{"schedule":"@daily"}}"#)
            #expect(r.status == 201)
            let name = try #require(r["metadata", "name"]?.stringValue)
            #expect(name.hasPrefix("adhoc-") && name.count == 11)
            let dry = try await client.send("POST", BackupPolicyCRD.bp + "?dryRun=All", body: BackupPolicyCRD.body("dry"))
            #expect(dry.status == 201)
            #expect(dry["metadata", "uid"] != nil && dry["metadata", "resourceVersion"] == nil)
            #expect(dry["spec", "suspend"] == .bool(false))
            #expect(try await client.send("GET", BackupPolicyCRD.bp + "/dry").status == 404)
            #expect(server.object(group: "lifeboat.dev", version: "v1alpha1", plural: "backuppolicies", namespace: "demo", name: "dry") == nil)
        }
    }

    @Test("given unknown fields, then they are pruned with one Warning each, Strict is 400 and Ignore is silent (08b)")
    func givenUnknownFields_thenPrunedWarnedOrRejected() async throws {
        let samples = try WireSample.load("08b-unknown-fields.txt")
        try await withServer { _, client in
            let warn = try await client.send("POST", samples[0].path, body: samples[0].requestBody)
            #expect(warn.status == 201)
            #expect(warn["spec"] == samples[0].responseJSON?["spec"])
            #expect(warn["metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"]
                    == samples[0].responseJSON?[path: "metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"])
            #expect(warn.headers.filter { $0.0 == "Warning" }.map(\.1) == [
                #"299 - "unknown field \"spec.retention.weekly\"""#, #"299 - "unknown field \"spec.retentionDays\"""#,
            ])
            let strict = try await client.send("POST", samples[1].path, body: samples[1].requestBody)
            #expect(strict.status == 400 && strict.text == samples[1].compactResponse + "\n", "\(strict.text)")
            let ignore = try await client.send("POST", samples[2].path, body: samples[2].requestBody)
            #expect(ignore.status == 201 && ignore.header("Warning") == nil && ignore["spec", "retentionDays"] == nil)
        }
    }

    @Test("given strings with <, > and &, then they are escaped as in Go and read back unchanged")
    func givenHTMLCharacters_thenEscapedLikeGo() async throws {
        try await withServer { _, client in
            let r = try await client.send("POST", "/api/v1/namespaces/demo/configmaps",
                                          body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"esc"},"data":{"cmd":"a < b && c > d","line":"x\ny"}}"#)
            #expect(r.status == 201)
            #expect(r.text.contains(#""cmd":"a \u003c b \u0026\u0026 c \u003e d""#))
            #expect(r.text.contains(#""line":"x\ny""#))
            #expect(r["data", "cmd"] == .string("a < b && c > d"))
            #expect(r["metadata", "generation"] == nil)
            #expect(r.text.hasPrefix(#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"#))
            #expect(r.text.contains(#"},"data":{"#))
        }
    }

    @Test("given the default namespace, when creating there without creating it first, then it exists")
    func givenDefaultNamespace_whenCreating_thenItExists() async throws {
        try await withServer(namespaces: []) { _, client in
            let r = try await client.send("POST", "/api/v1/namespaces/default/configmaps",
                                          body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#)
            #expect(r.status == 201)
        }
    }
}
