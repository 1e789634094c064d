import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Server-side apply")
struct ServerSideApplyTests {
    static let path = BackupPolicyCRD.bp + "/ssa-demo"
    static let apply = "application/apply-patch+yaml"
    static let full = #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"ssa-demo","namespace":"demo","labels":{"managed-by":"lifeboat","extra":"yes"}},"spec":{"schedule":"0 4 * * *","retention":{"daily":7}}}"#
    static let daily30 = #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"ssa-demo","namespace":"demo"},"spec":{"retention":{"daily":30}}}"#
    static let schedule = #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"ssa-demo","namespace":"demo"},"spec":{"schedule":"0 4 * * *"}}"#
    static let reduced = #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"ssa-demo","namespace":"demo","labels":{"managed-by":"lifeboat"}},"spec":{"schedule":"0 4 * * *"}}"#

    static func fields(_ r: WireClient.Response, _ manager: String) -> JSONValue? {
        r["metadata", "managedFields"]?.arrayValue?.first { $0["manager"] == .string(manager) }?["fieldsV1"]
    }

    @Test("given no object, when applied twice, then 201 with an Apply entry, and the re-apply is a byte-identical no-op (07a)")
    func givenNoObject_whenAppliedTwice_thenCreateThenNoOp() async throws {
        let exchange = try WireSample.load("07a-ssa-create-and-reapply.txt")[0]
        let sample = exchange.responseJSON!
        try await withServer { _, client in
            let q = "?fieldManager=lifeboat-controller&force=false"
            // The captured YAML body first, then the same content as JSON (JSON is YAML too).
            let first = try await client.send("PATCH", exchange.path, body: exchange.requestBody, contentType: Self.apply)
            #expect(first.status == 201)
            #expect(normalized(first.json!) == normalized(sample))
            #expect(Self.fields(first, "lifeboat-controller") == sample[path: "metadata", "managedFields"]?.arrayValue?[0]["fieldsV1"])
            #expect(first["metadata", "managedFields"]?.arrayValue?[0]["operation"] == .string("Apply"))
            let second = try await client.send("PATCH", Self.path + q, body: Self.full, contentType: Self.apply)
            #expect(second.status == 200 && second.body == first.body)
        }
    }

    @Test("given a field owned by another manager, then a different value conflicts (409), force takes it, the same value is shared (07b)")
    func givenOwnedField_thenConflictForceAndSharing() async throws {
        let samples = try WireSample.load("07b-ssa-conflict-and-force.txt")
        try await withServer { _, client in
            _ = try await client.send("PATCH", Self.path + "?fieldManager=lifeboat-controller&force=false", body: Self.full, contentType: Self.apply)
            let conflict = try await client.send("PATCH", samples[0].path, body: samples[0].requestBody, contentType: Self.apply)
            #expect(conflict.status == 409 && conflict.text == samples[0].compactResponse + "\n", "\(conflict.text)")
            let forced = try await client.send("PATCH", Self.path + "?fieldManager=ops-cli&force=true", body: Self.daily30, contentType: Self.apply)
            #expect(forced.status == 200 && forced["spec", "retention", "daily"] == .int(30))
            #expect(forced["metadata", "generation"] == .int(2))
            let expected = samples[1].responseJSON!
            #expect(Self.fields(forced, "lifeboat-controller") == expected[path: "metadata", "managedFields"]?.arrayValue?[0]["fieldsV1"])
            #expect(Self.fields(forced, "ops-cli") == expected[path: "metadata", "managedFields"]?.arrayValue?[1]["fieldsV1"])
            let shared = try await client.send("PATCH", Self.path + "?fieldManager=auditor&force=false", body: Self.schedule, contentType: Self.apply)
            #expect(shared.status == 200)
            #expect(Self.fields(shared, "auditor") == .object(["f:spec": .object(["f:schedule": .object([:])])]))
            #expect(Self.fields(shared, "lifeboat-controller")?["f:spec"]?["f:schedule"] != nil)
            let managers = shared["metadata", "managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue }
            #expect(managers?.sorted() == ["auditor", "lifeboat-controller", "ops-cli"])
        }
    }

    @Test("given a re-apply without fields, then a solely owned field is removed and a shared one stays; /status apply; no fieldManager is 422 (07c)")
    func givenDroppedFields_thenRemovedUnlessOwnedElsewhere() async throws {
        let samples = try WireSample.load("07c-ssa-drop-field-status-errors.txt")
        try await withServer { _, client in
            _ = try await client.send("PATCH", Self.path + "?fieldManager=lifeboat-controller&force=false", body: Self.full, contentType: Self.apply)
            _ = try await client.send("PATCH", Self.path + "?fieldManager=ops-cli&force=true", body: Self.daily30, contentType: Self.apply)
            let r = try await client.send("PATCH", Self.path + "?fieldManager=lifeboat-controller&force=false", body: Self.reduced, contentType: Self.apply)
            #expect(r.status == 200)
            #expect(r["metadata", "labels"] == .object(["managed-by": .string("lifeboat")]))
            #expect(r["spec"] == samples[0].responseJSON?["spec"])
            #expect(Self.fields(r, "lifeboat-controller") == samples[0].responseJSON?[path: "metadata", "managedFields"]?.arrayValue?[1]["fieldsV1"])
            let status = try await client.send("PATCH", Self.path + "/status?fieldManager=lifeboat-controller-status&force=true",
                                               body: #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"ssa-demo","namespace":"demo"},"status":{"phase":"Idle","observedGeneration":2}}"#,
                                               contentType: Self.apply)
            #expect(status.status == 200 && status["status"] == samples[1].responseJSON?["status"])
            let entry = status["metadata", "managedFields"]?.arrayValue?.first { $0["manager"] == .string("lifeboat-controller-status") }
            #expect(entry?["subresource"] == .string("status") && entry?["operation"] == .string("Apply"))
            #expect(status["metadata", "generation"] == .int(2))
            let missing = try await client.send("PATCH", Self.path, body: Self.reduced, contentType: Self.apply)
            #expect(missing.status == 422 && missing.text == samples[2].compactResponse + "\n", "\(missing.text)")
        }
    }

    @Test("given a CronJob applied with only what a controller cares about, then defaults are not owned, re-apply is a no-op and dropping env removes it (07d)")
    func givenCronJobApply_thenDefaultsNotOwnedAndEnvRemoved() async throws {
        let expected = try WireSample.load("07d-ssa-builtin-cronjob.txt")[2].responseJSON!
        try await withServer { _, client in
            let path = "/apis/batch/v1/namespaces/demo/cronjobs/ssa-cron?fieldManager=lifeboat-controller&force=true"
            func body(env: Bool) -> String {
                let envPart = env ? #","env":[{"name":"MODE","value":"full"}]"# : ""
                return #"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"ssa-cron","namespace":"demo","labels":{"app.kubernetes.io/managed-by":"lifeboat"}},"spec":{"schedule":"0 2 * * *","timeZone":"Europe/Berlin","concurrencyPolicy":"Forbid","suspend":true,"jobTemplate":{"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"backup","image":"busybox","command":["sh","-c","echo ok"]\#(envPart)}]}}}}}}"#
            }
            let created = try await client.send("PATCH", path, body: body(env: true), contentType: Self.apply)
            #expect(created.status == 201)
            #expect(created["spec", "successfulJobsHistoryLimit"] == .int(3))
            let again = try await client.send("PATCH", path, body: body(env: true), contentType: Self.apply)
            #expect(again.status == 200 && again.body == created.body)
            let dropped = try await client.send("PATCH", path, body: body(env: false), contentType: Self.apply)
            #expect(dropped.status == 200)
            #expect(dropped["metadata", "generation"] == .int(2))
            let container = dropped["spec", "jobTemplate", "spec", "template", "spec", "containers"]?.arrayValue?.first
            #expect(container == expected["container"])
            #expect(Self.fields(dropped, "lifeboat-controller") == expected["managedFields[lifeboat-controller]"]?["fieldsV1"])
        }
    }
}
