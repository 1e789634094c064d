import Foundation
import KubernetesModels
import Logging
import Testing
@testable import KubernetesClient

/// Records every log line (message and metadata) at trace level.
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lock.withLock { lines.append("\(event.level) \(event.message) \(merged)") }
    }

    var recorded: [String] { lock.withLock { lines } }
}

@Suite("Credentials stay out of logs and errors")
struct CredentialHygieneTests {
    @Test("given a bearer token, when requests succeed, fail and warn, then no log line and no error mentions the token")
    func tokenNeverLoggedOrInErrors() async throws {
        let token = "SECRET-TOKEN-4f9a"
        let handler = RecordingLogHandler()
        let logger = Logger(label: "test") { _ in handler }
        var warned = ReplayResponse.captured(try #require(try WireSamples.exchange("14a-cronjob-create-defaults", 2).response))
        warned.headers.append(("Warning", "299 - \"unknown field \\\"spec.x\\\"\""))
        let notFound = ReplayResponse.captured(try #require(try WireSamples.exchange("03-not-found", 1).response))
        try await ReplayServer.with([warned, notFound]) { server in
            let configuration = KubernetesClientConfiguration(server: server.url, authentication: .bearerToken(token))
            let client = try KubernetesClient(configuration: configuration, logger: logger)
            do {
                _ = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
                let error = await #expect(throws: KubernetesError.self) { _ = try await client.get(TestPolicy.self, name: "nope", namespace: "demo") }
                #expect(error?.description.contains(token) == false)
                #expect(server.requests.allSatisfy { $0.header("Authorization") == "Bearer \(token)" })
            } catch {
                try await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
        #expect(handler.recorded.count >= 3, "one debug line per request and the server's warning")
        #expect(handler.recorded.contains { $0.contains("unknown field") })
        #expect(!handler.recorded.contains { $0.contains(token) })
        #expect(!"\(KubernetesClientConfiguration(server: "https://x", authentication: .bearerToken(token)))".contains(token))
        #expect(!"\(KubernetesClientConfiguration.Authentication.basic(username: "u", password: token))".contains(token))
    }
}
