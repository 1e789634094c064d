import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct ChildComparisonTests {
    /// `shared/k8s-wire` beside the package or one level higher (or `$LIFEBOAT_K8S_WIRE`).
    static let wireDirectory: URL = {
        if let override = ProcessInfo.processInfo.environment["LIFEBOAT_K8S_WIRE"] { return URL(fileURLWithPath: override) }
        let root = CRDGeneratorTests.repositoryRoot
        let candidates = [
            root.deletingLastPathComponent().appendingPathComponent("shared/k8s-wire"),
            root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/k8s-wire"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }()

    /// The request body and the response body of the first exchange of a sample file.
    static func firstExchange(_ file: String) throws -> (request: JSONValue, response: JSONValue) {
        let text = try String(contentsOf: wireDirectory.appendingPathComponent(file), encoding: .utf8)
        let lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }
        func body(after marker: String) throws -> JSONValue {
            let start = try #require(lines.firstIndex(of: marker))
            let blank = try #require(lines[start...].firstIndex(of: ""))
            let end = lines[(blank + 1)...].firstIndex { $0.hasPrefix("<<<") || $0.hasPrefix("===") } ?? lines.endIndex
            let json = lines[(blank + 1)..<end].joined(separator: "\n")
            return try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        }
        return (try body(after: ">>> request"), try body(after: "<<< response"))
    }

    @Test func givenTheCronJobTheRealServerDefaulted_whenComparedWithWhatWasSent_thenItIsSatisfied() throws {
        let (request, response) = try Self.firstExchange("14a-cronjob-create-defaults.txt")
        #expect(ChildComparison.isSubset(request, of: response))
        // The same through the typed model the controller uses.
        let sent = try JSONDecoder().decode(CronJob.self, from: JSONEncoder().encode(request))
        let stored = try JSONDecoder().decode(CronJob.self, from: JSONEncoder().encode(response))
        #expect(try ChildComparison.isSatisfied(desired: sent, by: stored))
    }

    @Test func givenTheDefaultedCronJob_whenTheDesiredScheduleOrCommandDiffers_thenItIsNotSatisfied() throws {
        let (request, response) = try Self.firstExchange("14a-cronjob-create-defaults.txt")
        var sent = try JSONDecoder().decode(CronJob.self, from: JSONEncoder().encode(request))
        let stored = try JSONDecoder().decode(CronJob.self, from: JSONEncoder().encode(response))
        sent.spec?.schedule = "0 3 * * *"
        #expect(try !ChildComparison.isSatisfied(desired: sent, by: stored))
        sent = try JSONDecoder().decode(CronJob.self, from: JSONEncoder().encode(request))
        sent.spec?.jobTemplate.spec?.template.spec?.containers[0].env = [EnvVar(name: "PGHOST", value: "db")]
        #expect(try !ChildComparison.isSatisfied(desired: sent, by: stored))
    }

    static func json<Value: Encodable>(_ value: Value) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test func givenABuiltCronJob_whenTheLiveOneHasServerDefaultsAndMetadata_thenItIsSatisfiedUntilTheSpecChanges() throws {
        var policy = PolicySamples.fullyPopulatedValid()
        policy.metadata.uid = "0b6f2a52-7d0e-4c43-9c39-5d1b7a0e9f11"
        let settings = BuilderSettings(defaultImage: "lifeboat:1")
        let desired = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: settings))
        var live = desired
        live.metadata.uid = "c1"
        live.metadata.resourceVersion = "42"
        live.spec?.jobTemplate.spec?.template.spec?.terminationGracePeriodSeconds = 30
        live.status = CronJobStatus(lastScheduleTime: "2026-11-21T02:30:00Z")
        #expect(try ChildComparison.isSatisfied(desired: desired, by: live))
        #expect(try !ChildComparison.needsUpdate(desired: desired, live: live))

        policy.spec?.retention?.keepLast = 5
        let changed = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: settings))
        #expect(try ChildComparison.needsUpdate(desired: changed, live: live))

        // A dropped field would be invisible to a subset check of the spec alone; it changes the desired hash.
        policy.spec?.retention?.keepLast = 3
        policy.spec?.pod?.nodeSelector = nil
        let fewerFields = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: settings))
        #expect(ChildComparison.isSubset(try Self.json(fewerFields.spec), of: try Self.json(live.spec)))
        #expect(try ChildComparison.needsUpdate(desired: fewerFields, live: live))

        // Someone edited the live CronJob by hand: the hash still matches, the subset check notices.
        var edited = live
        edited.spec?.concurrencyPolicy = "Allow"
        #expect(try ChildComparison.needsUpdate(desired: desired, live: edited))
    }
}
