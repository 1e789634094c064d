import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("List")
struct ListTests {
    static let listing = "/apis/lifeboat.dev/v1alpha1/namespaces/listing/backuppolicies"

    /// bp-1 … bp-6 with the tiers of sample 09a.
    func seed(_ client: WireClient) async throws {
        let tiers = ["gold", "silver", "gold", "bronze", "silver", "gold"]
        for (i, tier) in tiers.enumerated() {
            let r = try await client.send("POST", Self.listing, body: BackupPolicyCRD.body("bp-\(i + 1)", schedule: "0 \(i + 1) * * *",
                                                                                         extra: #","labels":{"tier":"\#(tier)"}"#))
            #expect(r.status == 201)
        }
    }

    @Test("given six objects, when listed with limit=2, then three pages with continue tokens, remainingItemCount and one resourceVersion (09a)")
    func givenSixObjects_whenPaged_thenThreePages() async throws {
        let sample = try WireSample.load("09a-list-paginated.txt")
        try await withServer(namespaces: ["listing"]) { server, client in
            try await seed(client)
            let first = try await client.send("GET", Self.listing + "?limit=2")
            #expect(first.status == 200)
            #expect(first.text.hasPrefix(#"{"apiVersion":"lifeboat.dev/v1alpha1","items":[{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":"#))
            #expect(WireSample.sameKeyOrder(first.text, sample[0].compactResponse, ignoring: ["items[].metadata.managedFields"]))
            #expect(first["metadata", "remainingItemCount"] == .int(4))
            let rv = try #require(first.resourceVersion)
            #expect(rv == String(server.currentResourceVersion))
            let token = try #require(first["metadata", "continue"]?.stringValue)
            let decoded = try #require(Store.decodeContinue(token))
            #expect(decoded.start == "bp-2" && decoded.rv == Int(rv)!)
            #expect(!token.contains("=") && !token.contains("/") && !token.contains("+"), "base64url without padding")
            // A write between pages does not change the pages' resourceVersion.
            _ = try await client.send("PATCH", Self.listing + "/bp-5", body: #"{"metadata":{"labels":{"x":"y"}}}"#, contentType: "application/merge-patch+json")
            let second = try await client.send("GET", Self.listing + "?limit=2&continue=\(token)")
            #expect(second["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["bp-3", "bp-4"])
            #expect(second.resourceVersion == rv && second["metadata", "remainingItemCount"] == .int(2))
            let token2 = try #require(second["metadata", "continue"]?.stringValue)
            let last = try await client.send("GET", Self.listing + "?limit=2&continue=\(token2)")
            #expect(last["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["bp-5", "bp-6"])
            #expect(last["items"]?.arrayValue?.first?[path: "metadata", "labels"] == .object(["tier": .string("silver")]),
                    "pages read the snapshot of the first page, before the later label change")
            #expect(last["metadata"] == .object(["continue": .string(""), "resourceVersion": .string(rv)]))
        }
    }

    @Test("given label and field selectors, then equality, set-based and metadata.name selection work and other fields are 400 (09b)")
    func givenSelectors_thenFiltered() async throws {
        let sample = try WireSample.load("09b-list-selectors.txt")
        try await withServer(namespaces: ["listing", "empty"]) { _, client in
            try await seed(client)
            func names(_ query: String) async throws -> [String] {
                let r = try await client.send("GET", Self.listing + "?" + query)
                return r["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } ?? []
            }
            #expect(try await names("labelSelector=tier%3Dgold") == ["bp-1", "bp-3", "bp-6"])
            #expect(try await names("labelSelector=tier%20in%20%28silver%2Cbronze%29%2C%21archived") == ["bp-2", "bp-4", "bp-5"])
            #expect(try await names("fieldSelector=metadata.name%3Dbp-3") == ["bp-3"])
            let bad = try await client.send("GET", Self.listing + "?fieldSelector=spec.schedule%3D0%201%20%2A%20%2A%20%2A")
            #expect(bad.status == 400 && bad.text == sample[3].compactResponse + "\n")
            let empty = try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/empty/backuppolicies")
            #expect(WireSample.compact(empty.text) == WireSample.compact(sample[4].compactResponse.replacingOccurrences(of: "324", with: empty.resourceVersion!)))
            let cms = try await client.send("GET", "/api/v1/namespaces/empty/configmaps?labelSelector=app%3Dnone")
            #expect(cms.text == #"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"\#(cms.resourceVersion!)"},"items":[]}"# + "\n")
        }
    }

    @Test(arguments: [
        ("tier=gold", ["tier": "gold"], true), ("tier==gold", ["tier": "silver"], false), ("tier!=gold", [:], true),
        ("tier in (a,b)", ["tier": "b"], true), ("tier notin (a,b)", ["tier": "a"], false), ("tier", [:], false),
        ("!tier", [:], true), ("tier,app=x", ["tier": "1", "app": "x"], true), ("tier notin (a)", [:], true),
    ] as [(String, [String: String], Bool)])
    func givenLabelSelector_whenMatched_thenAsKubernetes(selector: String, labels: [String: String], matches: Bool) throws {
        let s = try LabelSelector(selector)
        #expect(s.matches(labels.mapValues(JSONValue.string)) == matches)
    }

    @Test("given a compacted history, then an Exact list at an old RV, an old continue token and a future RV fail like 11a/11b")
    func givenCompaction_thenOldListsAre410AndFutureIs504() async throws {
        let tooOld = try WireSample.load("11b-compaction-410.txt")
        let future = try WireSample.load("11a-watch-too-old-and-too-new.txt")
        try await withServer(namespaces: ["listing"]) { server, client in
            try await seed(client)
            let page = try await client.send("GET", Self.listing + "?limit=2")
            let token = try #require(page["metadata", "continue"]?.stringValue)
            let rv = try #require(page.resourceVersion)
            _ = try await client.send("PATCH", Self.listing + "/bp-1", body: #"{"metadata":{"labels":{"x":"1"}}}"#, contentType: "application/merge-patch+json")
            _ = try await client.send("DELETE", Self.listing + "/bp-2")
            let exact = try await client.send("GET", Self.listing + "?resourceVersion=\(rv)&resourceVersionMatch=Exact&limit=2")
            #expect(exact.status == 200 && exact.resourceVersion == rv)
            #expect(exact["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["bp-1", "bp-2"])
            #expect(exact["items"]?.arrayValue?.first?[path: "metadata", "labels", "x"] == nil, "the state at \(rv)")
            server.compact()
            let old = try await client.send("GET", Self.listing + "?resourceVersion=\(rv)&resourceVersionMatch=Exact")
            #expect(old.status == 410 && old.text == tooOld[0].compactResponse + "\n")
            let expired = try await client.send("GET", Self.listing + "?limit=2&continue=\(token)")
            #expect(expired.status == 410 && expired["reason"] == .string("Expired"))
            #expect(expired["message"] == tooOld[2].responseJSON?["message"])
            let fresh = try #require(expired["metadata", "continue"]?.stringValue)
            #expect(Store.decodeContinue(fresh)?.rv == -1)
            let ahead = try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/namespaces/watch/backuppolicies?resourceVersion=99999999")
            #expect(ahead.status == 504 && ahead.header("Retry-After") == "1")
            let expectedAhead = future[2].compactResponse.replacingOccurrences(of: "current: 422", with: "current: \(server.currentResourceVersion)")
            #expect(ahead.text == expectedAhead + "\n")
        }
    }
}
