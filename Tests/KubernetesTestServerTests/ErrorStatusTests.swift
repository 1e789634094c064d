import Foundation
import Testing
@testable import KubernetesTestServer

/// Error answers must be byte-identical to the captured ones (after compaction), since clients parse them.
@Suite("Error Status objects")
struct ErrorStatusTests {
    /// Sends every exchange of a sample file after `setup`, and compares status and body with the capture.
    func replay(_ file: String, only indices: [Int]? = nil, setup: (WireClient) async throws -> Void = { _ in }) async throws {
        let exchanges = try WireSample.load(file)
        try await withServer { _, client in
            try await setup(client)
            for (i, ex) in exchanges.enumerated() where indices?.contains(i) ?? true {
                let contentType = ex.method == "PATCH" ? "application/merge-patch+json" : "application/json"
                let r = try await client.send(ex.method, ex.path, body: ex.requestBody.isEmpty ? nil : ex.requestBody,
                                              contentType: contentType)
                #expect(r.status == ex.status, "\(file) #\(i + 1) \(ex.title): \(r.text)")
                let expected = ex.responseHeaders["content-type"] == "application/json" ? ex.compactResponse + "\n" : ex.responseBody + "\n"
                #expect(r.text == expected, "\(file) #\(i + 1) \(ex.title)")
                #expect(r.header("Content-Type") == ex.responseHeaders["content-type"])
            }
        }
    }

    @Test("given missing objects, namespaces and routes, then the 404 answers are exactly those of 03")
    func givenMissingThings_then404sMatchSample() async throws {
        try await replay("03-not-found.txt")
    }

    @Test("given an existing object and a stale resourceVersion, then AlreadyExists and Conflict match 04a")
    func givenExistingAndStale_then409sMatchSample() async throws {
        try await replay("04a-conflict-409.txt") { client in
            // The sample's PUT carries resourceVersion 240, which this fresh server has not reached: stale.
            let r = try await client.send("POST", BackupPolicyCRD.bp, body: #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"orders","namespace":"demo","labels":{"app":"shop"}},"spec":{"schedule":"0 2 * * *","retention":{"daily":7}}}"#)
            #expect(r.status == 201 && Int(r.resourceVersion ?? "") ?? 0 < 240)
        }
    }

    @Test("given PUT mistakes, then 422 without resourceVersion, 404 without create-on-update and 400 mismatches match 04b")
    func givenPutMistakes_thenAnswersMatchSample() async throws {
        try await replay("04b-put-errors.txt") { client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: BackupPolicyCRD.body("orders", schedule: "0 2 * * *"))
        }
    }

    @Test("given schema and CEL violations from the registered validation hook, then the 422 bodies match 08a")
    func givenInvalidSpecs_then422MatchesSample() async throws {
        try await replay("08a-validation-422.txt")
    }

    @Test("given bad media types and bodies, then 406, 415 and 400 match 21a")
    func givenBadNegotiation_thenAnswersMatchSample() async throws {
        let exchanges = try WireSample.load("21a-negotiation-and-bad-bodies.txt")
        try await withServer { _, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: BackupPolicyCRD.body("orders"))
            var xml = client
            xml.extraHeaders = [("Accept", "application/xml")]
            let r406 = try await xml.send("GET", BackupPolicyCRD.bp + "/orders")
            #expect(r406.status == 406 && r406.text == exchanges[0].compactResponse + "\n")

            let r415 = try await client.send("POST", BackupPolicyCRD.bp, body: "schedule=@daily", contentType: "text/plain")
            #expect(r415.status == 415 && r415.text == exchanges[2].compactResponse + "\n")

            let truncated = try await client.send("POST", BackupPolicyCRD.bp, body: exchanges[3].requestBody)
            #expect(truncated.status == 400 && truncated.text == exchanges[3].compactResponse + "\n", "\(truncated.text)")

            let wrongKind = try await client.send("POST", BackupPolicyCRD.bp, body: exchanges[4].requestBody)
            #expect(wrongKind.status == 400 && wrongKind.text == exchanges[4].compactResponse + "\n")

            let jsonPatch = try await client.send("PATCH", BackupPolicyCRD.bp + "/orders", body: #"{"spec":{"suspend":true}}"#)
            #expect(jsonPatch.status == 415 && jsonPatch.text == exchanges[5].compactResponse + "\n")
        }
    }

    @Test("given a terminating namespace, when creating in it, then 403 NamespaceTerminating as in 22a")
    func givenTerminatingNamespace_whenCreating_then403() async throws {
        let exchanges = try WireSample.load("22a-namespace-terminating.txt")
        try await withServer(namespaces: ["demo", "doomed"]) { server, client in
            let stuck = try await client.send("POST", "/apis/lifeboat.dev/v1alpha1/namespaces/doomed/backuppolicies",
                                              body: BackupPolicyCRD.body("stuck", extra: #","finalizers":["lifeboat.dev/cleanup"]"#))
            #expect(stuck.status == 201)
            let del = try await client.send("DELETE", "/api/v1/namespaces/doomed")
            #expect(del.status == 200)
            #expect(del["status", "phase"] == .string("Terminating"))
            #expect(del["metadata", "deletionTimestamp"] != nil)
            let late = try await client.send("POST", exchanges[1].path, body: exchanges[1].requestBody)
            #expect(late.status == 403 && late.text == exchanges[1].compactResponse + "\n", "\(late.text)")
            // The namespace controller marks the content; the finalizer holds it and the namespace.
            #expect(try await eventually { try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/doomed/backuppolicies/stuck")["metadata", "deletionTimestamp"] != nil })
            let held = try await client.send("GET", "/api/v1/namespaces/doomed")
            #expect(held.status == 200)
            let expected = try WireSample.load("22b-namespace-terminating-conditions.txt").first { $0.path == "/api/v1/namespaces/doomed" && $0.method == "GET" }
            let strip: (JSONValue) -> JSONValue = { c in var c = c; c["lastTransitionTime"] = nil; return c }
            #expect(held["status", "conditions"]?.arrayValue?.map(strip) == expected?.responseJSON?[path: "status", "conditions"]?.arrayValue?.map(strip))
            // Removing the finalizer lets everything go.
            let patch = try await client.send("PATCH", "/apis/lifeboat.dev/v1alpha1/namespaces/doomed/backuppolicies/stuck",
                                              body: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
            #expect(patch.status == 200)
            #expect(try await eventually { try await client.send("GET", "/api/v1/namespaces/doomed").status == 404 })
            _ = server
        }
    }

    @Test("given a bearer token option, then no credentials is 403 for system:anonymous and a bad token 401 (18)")
    func givenBearerToken_thenAnonymous403AndBadToken401() async throws {
        let exchanges = try WireSample.load("18-auth-401-403.txt")
        try await withServer(.init(bearerToken: "s3cret")) { server, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: BackupPolicyCRD.body("orders"))
            #expect(try await client.send("GET", BackupPolicyCRD.bp + "/orders").status == 200)
            var anonymous = client
            anonymous.extraHeaders = []
            let r403 = try await anonymous.send("GET", BackupPolicyCRD.bp + "/orders")
            #expect(r403.status == 403 && r403.text == exchanges[3].compactResponse + "\n", "\(r403.text)")
            var bad = client
            bad.extraHeaders = [("Authorization", "Bearer not-a-valid-token")]
            let r401 = try await bad.send("GET", BackupPolicyCRD.bp + "/orders")
            #expect(r401.status == 401 && r401.text == exchanges[4].compactResponse + "\n")
            // A rotated token: the old one is now refused, the new one accepted.
            server.setBearerToken("rotated")
            #expect(try await client.send("GET", BackupPolicyCRD.bp + "/orders").status == 401)
            var rotated = client
            rotated.extraHeaders = [("Authorization", "Bearer rotated")]
            #expect(try await rotated.send("GET", BackupPolicyCRD.bp + "/orders").status == 200)
        }
    }
}
