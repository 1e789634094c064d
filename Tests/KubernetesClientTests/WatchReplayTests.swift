import Foundation
import KubernetesModels
import Testing
@testable import KubernetesClient

@Suite("KubernetesClient.watch against replayed streams")
struct WatchReplayTests {
    @Test("given the captured stream (10a) sent in small chunks, when watching, then ADDED, MODIFIED, MODIFIED, DELETED and three BOOKMARKs, then a clean end", arguments: [7, 97, 4096])
    func eventsAndBookmarks(chunkSize: Int) async throws {
        let exchange = try WireSamples.exchange("10a-watch-events-and-bookmark", 1)
        let response = ReplayResponse.captured(try #require(exchange.response), chunkSize: chunkSize)
        try await ReplayServer.with([response]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                var updates: [WatchUpdate<TestPolicy>] = []
                let options = WatchOptions(resourceVersion: "353", timeoutSeconds: 75)
                for try await update in client.watch(TestPolicy.self, namespace: "watch", options: options) {
                    updates.append(update)
                }
                #expect(updates.map(\.type) == [.added, .modified, .modified, .deleted, .bookmark, .bookmark, .bookmark])
                #expect(updates.map(\.resourceVersion) == ["354", "355", "356", "358", "358", "358", "358"])
                #expect(updates.first?.object?.metadata.name == "w-3")
                #expect(updates[1].object?.spec?["suspend"] == .bool(true))
                let sent = try #require(server.requests.first)
                try WireAssertions.expectSameRequest(sent, exchange.request)
            }
        }
    }

    @Test("given the captured stream (10a), when watching untyped by descriptor, then JSON objects and their resourceVersions")
    func untypedWatch() async throws {
        let exchange = try WireSamples.exchange("10a-watch-events-and-bookmark", 1)
        try await ReplayServer.with([ReplayResponse.captured(try #require(exchange.response))]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                var versions: [String?] = []
                for try await update in client.watch(TestPolicy.descriptor, namespace: "watch", options: WatchOptions(resourceVersion: "353", timeoutSeconds: 75)) {
                    versions.append(update.resourceVersion)
                    if case .added(let object) = update { #expect(object["metadata"]?["name"] == .string("w-3")) }
                }
                #expect(versions == ["354", "355", "356", "358", "358", "358", "358"])
                try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
            }
        }
    }

    @Test("given a too-old resourceVersion (11a), when watching, then the 200 stream's ERROR event throws isGone")
    func tooOldIsGone() async throws {
        let exchange = try WireSamples.exchange("11a-watch-too-old-and-too-new", 1)
        try await ReplayServer.with([ReplayResponse.captured(try #require(exchange.response))]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                var received = 0
                let error = await #expect(throws: KubernetesError.self) {
                    for try await _ in client.watch(TestPolicy.self, namespace: "watch", options: WatchOptions(resourceVersion: "1", timeoutSeconds: nil)) {
                        received += 1
                    }
                }
                #expect(received == 0)
                #expect(error?.isGone == true)
                #expect(error?.reason == "Expired")
                #expect(error?.message.contains("too old resource version") == true)
                try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
            }
        }
    }

    @Test("given a watch answered with an HTTP error, when watching, then the Status is thrown before any event")
    func httpErrorBeforeStream() async throws {
        let exchange = try WireSamples.exchange("03-not-found", 3)
        try await ReplayServer.with([ReplayResponse.captured(try #require(exchange.response))]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                let error = await #expect(throws: KubernetesError.self) {
                    for try await _ in client.watch(Job.self, namespace: "no-such-ns") {}
                }
                #expect(error?.isNotFound == true)
                #expect(error?.status?.details?.kind == "namespaces")
            }
        }
    }

    @Test("given a watch that never sends (11a case 2), when the watching task is cancelled, then the connection is closed")
    func cancellationClosesConnection() async throws {
        let exchange = try WireSamples.exchange("11a-watch-too-old-and-too-new", 2)
        var response = ReplayResponse.captured(try #require(exchange.response))
        response.hang = true
        try await ReplayServer.with([response]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await _ in client.watch(TestPolicy.self, namespace: "watch", options: WatchOptions(resourceVersion: "99999999", timeoutSeconds: nil)) {}
                    }
                    try await Self.waitUntil { server.requests.count == 1 }
                    #expect(server.closed == 0)
                    group.cancelAll()
                    try? await group.waitForAll()
                }
                try await Self.waitUntil { server.closed >= 1 }
                #expect(server.closed >= 1)
                try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
            }
        }
    }

    static func waitUntil(timeout: Duration = .seconds(10), _ condition: @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

@Suite("KubernetesClient connection pool")
struct ConnectionPoolTests {
    @Test("given more open watches than AsyncHTTPClient's default eight connections, when getting an object, then the GET is not starved")
    func watchesDoNotStarveRequests() async throws {
        let watchCount = 10
        let hanging = try WireSamples.exchange("11a-watch-too-old-and-too-new", 2)
        var watchResponse = ReplayResponse.captured(try #require(hanging.response))
        watchResponse.hang = true
        let get = try WireSamples.exchange("14a-cronjob-create-defaults", 2)
        let responses = Array(repeating: watchResponse, count: watchCount) + [ReplayResponse.captured(try #require(get.response))]
        try await ReplayServer.with(responses) { server in
            var configuration = KubernetesClientConfiguration(server: server.url)
            configuration.requestTimeout = .seconds(5)
            try await withKubernetesClient(configuration: configuration) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<watchCount {
                        group.addTask {
                            for try await _ in client.watch(TestPolicy.self, namespace: "watch", options: WatchOptions(resourceVersion: "99999999", timeoutSeconds: nil)) {}
                        }
                    }
                    try await WatchReplayTests.waitUntil { server.requests.count == watchCount }
                    let cronJob = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                    #expect(cronJob.metadata.name == "defaults-demo")
                    group.cancelAll()
                    try? await group.waitForAll()
                }
            }
        }
    }
}

@Suite("KubernetesClient.watch with initial events")
struct InitialEventsWatchTests {
    @Test("given sendInitialEvents (10b), when watching, then the current objects arrive as ADDED and a bookmark marks their end")
    func initialEvents() async throws {
        let exchange = try WireSamples.exchange("10b-watch-send-initial-events", 1)
        try await ReplayServer.with([ReplayResponse.captured(try #require(exchange.response))]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                var added: [String] = []
                var sawEnd = false
                let options = WatchOptions(timeoutSeconds: 4, sendInitialEvents: true)
                for try await update in client.watch(TestPolicy.self, namespace: "watch", options: options) {
                    switch update {
                    case .added(let policy): added.append(policy.metadata.name ?? "")
                    case .bookmark(let bookmark) where bookmark.isInitialEventsEnd:
                        sawEnd = true
                        #expect(!added.isEmpty, "the end marker comes after the initial objects")
                    default: break
                    }
                }
                #expect(added == added.sorted(), "initial events come in name order")
                #expect(!added.isEmpty)
                #expect(sawEnd)
                try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
            }
        }
    }
}

@Suite("KubernetesClient.watch line framing")
struct WatchFramingTests {
    @Test("given a stream whose last line has no newline and strings with spaces, when watching, then every event is read intact", arguments: [1, 5, 64])
    func lastLineWithoutNewline(chunkSize: Int) async throws {
        let captured = try #require(try WireSamples.exchange("10a-watch-events-and-bookmark", 1).response)
        let lines = captured.body.split(separator: "\n").filter { $0.hasPrefix("{") }.prefix(2)
            .map { $0.replacingOccurrences(of: "@hourly", with: "0 2 * * *") }
        #expect(lines.count == 2)
        // CRLF after the first line, blank line, then the second line without a newline before the stream ends.
        let body = Data((lines[0] + "\r\n\n" + lines[1]).utf8)
        let response = ReplayResponse(status: 200, headers: [("Content-Type", "application/json")], body: body, chunkSize: chunkSize)
        try await ReplayServer.with([response]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                var schedules: [String] = []
                for try await update in client.watch(TestPolicy.self, namespace: "watch") {
                    schedules.append(update.object?.spec?["schedule"]?.stringValue ?? "")
                }
                #expect(schedules == ["0 2 * * *", "0 2 * * *"])
            }
        }
    }
}
