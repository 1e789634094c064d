import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Watch")
struct WatchTests {
    static let ns = "/apis/lifeboat.dev/v1alpha1/namespaces/watch/backuppolicies"

    @Test("given a watch from the list RV, then ADDED, MODIFIED, MODIFIED(status), DELETED with a new RV, bookmarks, and a clean end at timeoutSeconds (10a)")
    func givenWatchFromListRV_thenEventSequence() async throws {
        try await withServer(.init(bookmarkInterval: 0.7), namespaces: ["watch"]) { _, client in
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-1", schedule: "@hourly"))
            let rv = try #require(try await client.send("GET", Self.ns).resourceVersion)
            let started = Date()
            let result = try await client.watch(Self.ns + "?watch=1&allowWatchBookmarks=true&resourceVersion=\(rv)&timeoutSeconds=3", timeout: 6) {
                _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-3", schedule: "@hourly"))
                _ = try await client.send("PATCH", Self.ns + "/w-3", body: #"{"spec":{"suspend":true}}"#, contentType: "application/merge-patch+json")
                _ = try await client.send("PATCH", Self.ns + "/w-3/status", body: #"{"status":{"phase":"Ready"}}"#, contentType: "application/merge-patch+json")
                let del = try await client.send("DELETE", Self.ns + "/w-3")
                #expect(del["status"] == .string("Success"))
            }
            let elapsed = Date().timeIntervalSince(started)
            #expect(result.status == 200 && result.endedByServer)
            #expect(elapsed > 2.5 && elapsed < 8, "ended by timeoutSeconds=3, not earlier or much later: \(elapsed)")
            #expect(result.headers.contains { $0.0.lowercased() == "transfer-encoding" && $0.1 == "chunked" })
            let changes = result.events.filter { $0["type"] != .string("BOOKMARK") }
            #expect(changes.compactMap { $0["type"]?.stringValue } == ["ADDED", "MODIFIED", "MODIFIED", "DELETED"])
            let rvs = changes.compactMap { $0[path: "object", "metadata", "resourceVersion"]?.stringValue }.compactMap(Int.init)
            #expect(rvs == rvs.sorted() && Set(rvs).count == 4, "each event has a newer resourceVersion, DELETED included")
            #expect(changes[2][path: "object", "status", "phase"] == .string("Ready"))
            #expect(changes[3][path: "object", "spec", "suspend"] == .bool(true), "DELETED carries the last state")
            #expect(changes[3][path: "object", "metadata", "deletionTimestamp"] == nil)
            #expect(result.lines[0].hasPrefix(#"{"type":"ADDED","object":{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"#))
            let bookmarks = result.lines.filter { $0.contains(#""type":"BOOKMARK""#) }
            #expect(bookmarks.count >= 3, "every 0.7 s plus one before the timeout: \(bookmarks.count)")
            #expect(bookmarks.last == #"{"type":"BOOKMARK","object":{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"resourceVersion":"\#(rvs.last!)"}}}"#)
            #expect(!result.lines.contains { $0.contains("ERROR") })
        }
    }

    @Test("given sendInitialEvents with bookmarks, then ADDED for each object in name order and a bookmark marking the end (10b)")
    func givenSendInitialEvents_thenInitialAddedAndEndBookmark() async throws {
        try await withServer(namespaces: ["watch"]) { server, client in
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-2", schedule: "@hourly"))
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-1", schedule: "@hourly"))
            let result = try await client.watch(Self.ns + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=2",
                                                timeout: 4, until: { $0.count >= 4 }) {
                _ = try await client.send("PATCH", Self.ns + "/w-1", body: #"{"metadata":{"labels":{"touched":"again"}}}"#, contentType: "application/merge-patch+json")
            }
            #expect(Array(result.types.prefix(4)) == ["ADDED", "ADDED", "BOOKMARK", "MODIFIED"])
            #expect(result.events.prefix(2).compactMap { $0[path: "object", "metadata", "name"]?.stringValue } == ["w-1", "w-2"])
            #expect(result.events[2][path: "object", "metadata", "annotations"] == .object(["k8s.io/initial-events-end": .string("true")]))
            #expect(result.events[2][path: "object", "metadata", "resourceVersion"]?.stringValue.flatMap(Int.init) ?? 0
                    < server.currentResourceVersion)
            // Without allowWatchBookmarks: initial events but no end marker; a plain watch without RV, or RV=0, replays too.
            let noMarker = try await client.watch(Self.ns + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=1", timeout: 3)
            #expect(noMarker.types == ["ADDED", "ADDED"] && noMarker.endedByServer)
            let plain = try await client.watch(Self.ns + "?watch=1&timeoutSeconds=1", timeout: 3)
            #expect(plain.types == ["ADDED", "ADDED"])
            let one = try await client.watch(Self.ns + "?watch=1&resourceVersion=0&fieldSelector=metadata.name%3Dw-2&timeoutSeconds=1", timeout: 3)
            #expect(one.types == ["ADDED"] && one.events.first?[path: "object", "metadata", "name"] == .string("w-2"))
        }
    }

    @Test("given a watch from before the compaction point, then HTTP 200 with one ERROR 410 Expired line and the stream ends (11a)")
    func givenTooOldRV_thenErrorEvent() async throws {
        let sample = try WireSample.load("11a-watch-too-old-and-too-new.txt")[0]
        try await withServer(namespaces: ["watch"]) { server, client in
            let result = try await client.watch(Self.ns + "?watch=1&resourceVersion=1&allowWatchBookmarks=true", timeout: 3)
            #expect(result.status == 200 && result.endedByServer && result.lines.count == 1)
            let expected = sample.responseBody.replacingOccurrences(of: "(226)", with: "(\(server.store.withLock { server.store.compactedRV }))")
            #expect(result.lines.first == expected)
            // After compact(), an RV that was fine is too old as well.
            let rv = server.currentResourceVersion
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-9"))
            server.compact()
            let again = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(rv)", timeout: 3)
            #expect(again.types == ["ERROR"] && again.events.first?[path: "object", "code"] == .int(410))
            // A future RV just hangs without lines.
            let future = try await client.watch(Self.ns + "?watch=1&resourceVersion=99999999&allowWatchBookmarks=true", timeout: 1) {
                _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("w-10"))
            }
            #expect(future.status == 200 && future.lines.isEmpty && !future.endedByServer)
        }
    }

    @Test("given a watch history limit, when more events happen, then a watch from before the window gets 410 and one inside replays")
    func givenHistoryLimit_thenOldWatchExpires() async throws {
        try await withServer(.init(watchHistoryLimit: 3), namespaces: ["watch"]) { server, client in
            let before = server.currentResourceVersion
            for i in 0..<5 { _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("h-\(i)")) }
            let old = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(before)", timeout: 3)
            #expect(old.types == ["ERROR"])
            let inside = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(server.currentResourceVersion - 2)&timeoutSeconds=1", timeout: 3)
            #expect(inside.types == ["ADDED", "ADDED"])
        }
    }

    @Test("given a label-selected watch, when an object enters and leaves the selection, then ADDED and DELETED are sent")
    func givenLabelSelectedWatch_whenLabelsChange_thenAddedAndDeleted() async throws {
        try await withServer(namespaces: ["watch"]) { _, client in
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("sel"))
            let rv = try #require(try await client.send("GET", Self.ns).resourceVersion)
            let result = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(rv)&labelSelector=team%3Dgold", timeout: 3, until: { $0.count >= 2 }) {
                for value in ["gold", "silver"] {
                    _ = try await client.send("PATCH", Self.ns + "/sel", body: #"{"metadata":{"labels":{"team":"\#(value)"}}}"#, contentType: "application/merge-patch+json")
                }
            }
            #expect(result.types == ["ADDED", "DELETED"])
        }
    }

    @Test("given open watches, when the server restarts, then the connection drops and the data and history stay")
    func givenOpenWatch_whenRestart_thenDroppedAndDataKept() async throws {
        try await withServer(namespaces: ["watch"]) { server, client in
            _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("keep"))
            let rv = server.currentResourceVersion
            let result = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(rv)", timeout: 3) {
                try await server.restart()
            }
            #expect(!result.endedByServer || result.lines.isEmpty)
            #expect(try await client.send("GET", Self.ns + "/keep").status == 200)
            _ = try await client.send("PATCH", Self.ns + "/keep", body: #"{"metadata":{"labels":{"a":"b"}}}"#, contentType: "application/merge-patch+json")
            let resumed = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(rv)&timeoutSeconds=1", timeout: 3)
            #expect(resumed.types == ["MODIFIED"])
            // A restart that rebuilds the watch cache (11b): the same resourceVersion is now too old.
            try await server.restart(compactHistory: true)
            let expired = try await client.watch(Self.ns + "?watch=1&resourceVersion=\(rv)", timeout: 3)
            #expect(expired.types == ["ERROR"] && expired.endedByServer)
            #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        }
    }

    @Test("given a cluster-wide watch, then events from every namespace arrive")
    func givenClusterWideWatch_thenAllNamespaces() async throws {
        try await withServer(namespaces: ["watch", "other"]) { server, client in
            let rv = server.currentResourceVersion
            let result = try await client.watch("/apis/lifeboat.dev/v1alpha1/backuppolicies?watch=true&resourceVersion=\(rv)", timeout: 3, until: { $0.count >= 2 }) {
                _ = try await client.send("POST", Self.ns, body: BackupPolicyCRD.body("a"))
                _ = try await client.send("POST", "/apis/lifeboat.dev/v1alpha1/namespaces/other/backuppolicies", body: BackupPolicyCRD.body("b"))
            }
            #expect(result.events.compactMap { $0[path: "object", "metadata", "namespace"]?.stringValue } == ["watch", "other"])
        }
    }
}
