import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Replace, status and patches")
struct UpdateAndPatchTests {
    static let orders = #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"orders","namespace":"demo","labels":{"app":"shop"}},"spec":{"schedule":"0 2 * * *","retention":{"daily":7}}}"#
    static let path = BackupPolicyCRD.bp + "/orders"

    /// The current object with a change applied, as a PUT body.
    func edited(_ r: WireClient.Response, _ change: (inout JSONValue) -> Void) -> String {
        var obj = r.json!
        obj["metadata"]?["managedFields"] = nil
        change(&obj)
        return JSONWriter.string(obj, shape: nil)
    }

    @Test("given a PUT, then spec changes bump generation and label changes only the resourceVersion (05a)")
    func givenPut_thenGenerationOnlyForSpec() async throws {
        try await withServer { _, client in
            let created = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders.replacingOccurrences(of: #""app":"shop""#, with: #""app":"shop","tier":"gold""#))
            let spec = try await client.send("PUT", Self.path, body: edited(created) { $0["spec"]?["retention"] = .object(["daily": .int(14)]) })
            #expect(spec.status == 200)
            #expect(spec["metadata", "generation"] == .int(2))
            #expect(Int(spec.resourceVersion!)! > Int(created.resourceVersion!)!)
            let labels = try await client.send("PUT", Self.path, body: edited(spec) {
                $0["metadata"]?["labels"]?["team"] = .string("payments")
                $0["metadata"]?["annotations"] = .object(["note": .string("hello")])
            })
            #expect(labels["metadata", "generation"] == .int(2))
            #expect(labels.resourceVersion != spec.resourceVersion)
            // managedFields of the single Update manager cover the new label and annotation (05a request 2).
            let sample = try WireSample.load("05a-generation-spec-vs-metadata.txt")[1].responseJSON!
            #expect(labels["metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"]
                    == sample[path: "metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"])
            // A stale resourceVersion is a conflict.
            let stale = try await client.send("PUT", Self.path, body: edited(spec) { $0["spec"]?["suspend"] = .bool(true) })
            #expect(stale.status == 409 && stale["reason"] == .string("Conflict"))
        }
    }

    @Test("given a re-created object, when a PUT carries the old uid, then 409; a create carrying a resourceVersion fails")
    func givenRecreatedObject_whenPutWithOldUID_thenConflict() async throws {
        try await withServer { _, client in
            let first = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            _ = try await client.send("DELETE", Self.path)
            let second = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            let stale = try await client.send("PUT", Self.path, body: edited(first) {
                $0["metadata"]?["resourceVersion"] = .string(second.resourceVersion!)
                $0["spec"]?["suspend"] = .bool(true)
            })
            #expect(stale.status == 409 && stale["reason"] == .string("Conflict"))
            #expect(stale["message"]?.stringValue?.contains("Precondition failed: UID in precondition") == true)
            let copy = try await client.send("POST", BackupPolicyCRD.bp, body: edited(second) { $0["metadata"]?["name"] = .string("copy") })
            #expect(copy.status == 500 && copy["message"] == .string("Internal error occurred: resourceVersion should not be set on objects to be created"))
        }
    }

    @Test("given a status subresource, when status is PUT on the main endpoint, then it is ignored: same RV, no event (05b)")
    func givenStatusOnMainEndpoint_thenNoOpAndNoEvent() async throws {
        try await withServer { _, client in
            let created = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            let rv = created.resourceVersion!
            let body = edited(created) { $0["status"] = .object(["phase": .string("Hacked")]) }
            let watch = try await client.watch(BackupPolicyCRD.bp + "?watch=1&resourceVersion=\(rv)", timeout: 1.5) {
                let r = try await client.send("PUT", Self.path, body: body)
                #expect(r.status == 200 && r.resourceVersion == rv && r["status"] == nil)
                // An identical PUT is also a no-op.
                let same = try await client.send("PUT", Self.path, body: self.edited(created) { _ in })
                #expect(same.resourceVersion == rv && same.body == created.body)
            }
            #expect(watch.status == 200 && watch.lines.isEmpty)
        }
    }

    @Test("given PUT /status with spec and label changes, then only status is stored with its own managedFields entry (05c)")
    func givenPutStatus_thenOnlyStatusStored() async throws {
        let sample = try WireSample.load("05c-status-subresource.txt")[0]
        try await withServer { _, client in
            let created = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            var body = try JSONParser.parse(sample.requestBody)
            body["metadata"]?["resourceVersion"] = .string(created.resourceVersion!)
            body["metadata"]?["uid"] = created["metadata", "uid"]
            let r = try await client.send("PUT", Self.path + "/status", json: body)
            #expect(r.status == 200)
            #expect(r["spec", "retention", "daily"] == .int(7))
            #expect(r["metadata", "labels"] == .object(["app": .string("shop")]))
            #expect(r["metadata", "generation"] == .int(1))
            #expect(r["status"] == sample.responseJSON?["status"])
            let entries = try #require(r["metadata", "managedFields"]?.arrayValue)
            let statusEntry = try #require(entries.first { $0["subresource"] == .string("status") })
            let expectedEntry = sample.responseJSON![path: "metadata", "managedFields"]!.arrayValue![1]
            #expect(statusEntry["fieldsV1"] == expectedEntry["fieldsV1"])
            // merge PATCH /status ignores the spec part (05d).
            let patch = try await client.send("PATCH", Self.path + "/status", body: #"{"status":{"phase":"Backing up"},"spec":{"suspend":true}}"#,
                                              contentType: "application/merge-patch+json")
            #expect(patch["status", "phase"] == .string("Backing up") && patch["spec", "suspend"] == .bool(false))
        }
    }

    @Test("given merge patches, then null deletes, a stale resourceVersion is 409 and a missing object 404 (06a)")
    func givenMergePatch_thenSemanticsOf06a() async throws {
        let samples = try WireSample.load("06a-merge-patch.txt")
        try await withServer { _, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders.replacingOccurrences(of: #""app":"shop""#, with: #""app":"shop","tier":"gold""#))
            let r = try await client.send("PATCH", Self.path, body: samples[0].requestBody, contentType: "application/merge-patch+json")
            #expect(r.status == 200)
            #expect(r["metadata", "labels"] == .object(["app": .string("shop")]))
            #expect(r["spec"] == samples[0].responseJSON?["spec"])
            #expect(r["metadata", "generation"] == .int(2))
            let stale = try await client.send("PATCH", Self.path, body: samples[1].requestBody, contentType: "application/merge-patch+json")
            #expect(stale.status == 409 && stale.text == samples[1].compactResponse + "\n")
            let missing = try await client.send("PATCH", BackupPolicyCRD.bp + "/ghost", body: samples[2].requestBody, contentType: "application/merge-patch+json")
            #expect(missing.status == 404 && missing.text == samples[2].compactResponse + "\n")
        }
    }

    @Test("given JSON patches, then test/replace/add work and failing ops are 422 with the generic Status (06b)")
    func givenJSONPatch_thenSemanticsOf06b() async throws {
        let samples = try WireSample.load("06b-json-patch.txt")
        try await withServer { _, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            _ = try await client.send("PATCH", Self.path, body: #"{"spec":{"retention":{"daily":21}}}"#, contentType: "application/merge-patch+json")
            let ok = try await client.send("PATCH", Self.path, body: samples[0].requestBody, contentType: "application/json-patch+json")
            #expect(ok.status == 200 && ok["spec", "retention", "daily"] == .int(30))
            #expect(ok["metadata", "labels", "patched-by"] == .string("json-patch"))
            let before = ok.resourceVersion
            for i in 1...3 {
                let r = try await client.send("PATCH", Self.path, body: samples[i].requestBody, contentType: "application/json-patch+json")
                #expect(r.status == 422 && r.text == samples[i].compactResponse + "\n", "06b #\(i + 1): \(r.text)")
            }
            let notArray = try await client.send("PATCH", Self.path, body: samples[4].requestBody, contentType: "application/json-patch+json")
            #expect(notArray.status == 400 && notArray.text == samples[4].compactResponse + "\n")
            #expect(try await client.send("GET", Self.path).resourceVersion == before)
        }
    }

    @Test("given a strategic merge patch, then a CR answers 415 and a CronJob merges containers by name (06c)")
    func givenStrategicMergePatch_thenSemanticsOf06c() async throws {
        let samples = try WireSample.load("06c-strategic-merge-patch.txt")
        try await withServer { _, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: Self.orders)
            let cr = try await client.send("PATCH", Self.path, body: samples[0].requestBody, contentType: "application/strategic-merge-patch+json")
            #expect(cr.status == 415 && cr.text == samples[0].compactResponse + "\n")
            let cron = #"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"smp-demo"},"spec":{"schedule":"0 0 1 1 *","suspend":true,"jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"main","image":"busybox","command":["sh","-c","true"]},{"name":"side","image":"busybox","command":["sleep","1"]}]}}}}}}"#
            #expect(try await client.send("POST", "/apis/batch/v1/namespaces/demo/cronjobs", body: cron).status == 201)
            let smp = try await client.send("PATCH", samples[1].path, body: samples[1].requestBody, contentType: "application/strategic-merge-patch+json")
            #expect(smp.status == 200)
            #expect(smp["spec", "jobTemplate", "spec", "template", "spec", "containers"] == samples[1].responseJSON)
            #expect(smp["metadata", "generation"] == .int(2))
            let merge = try await client.send("PATCH", samples[2].path, body: samples[2].requestBody, contentType: "application/merge-patch+json")
            #expect(merge.status == 422 && merge.text == samples[2].compactResponse + "\n", "\(merge.text)")
        }
    }

    @Test("given a Lease, then renewals need the current resourceVersion and MicroTime needs six digits (16a, 16b)")
    func givenLease_thenOptimisticLockAndMicroTime() async throws {
        let lease = try WireSample.load("16a-lease.txt")
        let formats = try WireSample.load("16b-microtime-formats.txt")
        try await withServer { _, client in
            let created = try await client.send(lease[0].method, lease[0].path, body: lease[0].requestBody)
            #expect(created.status == 201 && created["spec"] == lease[0].responseJSON?["spec"])
            #expect(created["metadata", "generation"] == nil)
            var renew = try JSONParser.parse(lease[1].requestBody)
            renew["metadata"]?["uid"] = created["metadata", "uid"]
            renew["metadata"]?["resourceVersion"] = .string(created.resourceVersion!)
            let renewed = try await client.send("PUT", lease[1].path, json: renew)
            #expect(renewed.status == 200 && renewed["spec", "renewTime"] == .string("2026-11-21T09:53:20.333656Z"))
            var takeover = try JSONParser.parse(lease[2].requestBody)
            takeover["metadata"]?["resourceVersion"] = .string(created.resourceVersion!)
            let stale = try await client.send("PUT", lease[2].path, json: takeover)
            #expect(stale.status == 409 && stale.text == lease[2].compactResponse + "\n")
            for i in 0..<3 {
                let r = try await client.send("POST", formats[i].path, body: formats[i].requestBody)
                #expect(r.status == 400 && r.text == formats[i].compactResponse + "\n", "16b #\(i + 1): \(r.text)")
            }
            let offset = try await client.send("POST", formats[3].path, body: formats[3].requestBody)
            #expect(offset.status == 201 && offset["spec", "renewTime"] == .string("2026-11-21T09:53:20.654321Z"))
            let event = try await client.send("POST", formats[4].path, body: formats[4].requestBody)
            #expect(event["firstTimestamp"] == .string("2026-11-21T09:53:30Z") && event["lastTimestamp"] == .string("2026-11-21T09:53:30Z"))
        }
    }

    @Test("given events.k8s.io Events, then required fields are reported in two rounds as in 17a")
    func givenEventsV1_thenValidationRounds() async throws {
        let samples = try WireSample.load("17a-events-k8s-io-v1.txt")
        try await withServer { _, client in
            let ok = try await client.send("POST", samples[0].path, body: samples[0].requestBody)
            #expect(ok.status == 201 && ok["note"] == samples[0].responseJSON?["note"])
            #expect(ok.text.hasPrefix(#"{"kind":"Event","apiVersion":"events.k8s.io/v1","metadata":"#))
            #expect(ok["deprecatedSource"] == .object([:]) && ok["deprecatedFirstTimestamp"] == .null)
            // One storage: the same event read through core/v1 (17a request 4).
            let asCore = try await client.send("GET", samples[3].path)
            #expect(asCore.status == 200)
            #expect(normalized(asCore.json!) == normalized(samples[3].responseJSON!), "\(asCore.text)")
            #expect(WireSample.sameKeyOrder(asCore.text, samples[3].compactResponse, ignoring: ["metadata.managedFields"]))
            #expect(asCore.resourceVersion == ok.resourceVersion)
            for i in 1...2 {
                let r = try await client.send("POST", samples[i].path, body: samples[i].requestBody)
                #expect(r.status == 422 && r.text == samples[i].compactResponse + "\n", "17a #\(i + 1): \(r.text)")
            }
            // core/v1 Events (17b): the legacy shape with Go's empty fields, and the namespace rule.
            let core = try WireSample.load("17b-core-v1-event.txt")
            let created = try await client.send("POST", core[0].path, body: core[0].requestBody)
            #expect(created.status == 201)
            #expect(normalized(created.json!) == normalized(core[0].responseJSON!))
            #expect(WireSample.sameKeyOrder(created.text, core[0].compactResponse, ignoring: ["metadata.managedFields"]))
            let bad = try await client.send("POST", core[1].path, body: core[1].requestBody)
            #expect(bad.status == 422 && bad.text == core[1].compactResponse + "\n", "\(bad.text)")
        }
    }
}
