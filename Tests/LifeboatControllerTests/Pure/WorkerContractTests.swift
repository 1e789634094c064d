import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

/// Runs the real `lifeboat` worker binary with exactly the arguments and plain environment a built CronJob gives its
/// container (credentials left out, the server pointed at a closed port), and reads back the result file the way the
/// controller reads the termination message. Catches drift between the builders and the worker's options.
/// Disabled when the worker has not been built (`swift build` builds it).
@Suite struct WorkerContractTests {
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["LIFEBOAT_BINARY"] { return URL(fileURLWithPath: path) }
        return CRDGeneratorTests.repositoryRoot.appendingPathComponent(".build/debug/lifeboat")
    }()
    static let binaryExists = FileManager.default.isExecutableFile(atPath: binary.path)

    @Test(.enabled(if: binaryExists, "the lifeboat worker is not built"))
    func givenTheLogicalBackupCronJob_whenItsContainerRunsAgainstAnUnreachableServer_thenTheWorkerAcceptsTheArgumentsAndWritesAResult() throws {
        var policy = PolicySamples.fullyPopulatedValid()
        policy.metadata.uid = "0b6f2a52-7d0e-4c43-9c39-5d1b7a0e9f11"
        let cronJob = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: BuilderSettings(defaultImage: "lifeboat:test")))
        let container = try #require(cronJob.spec?.jobTemplate.spec?.template.spec?.containers.first)
        #expect(container.command == ["lifeboat"])

        let resultFile = FileManager.default.temporaryDirectory.appendingPathComponent("lifeboat-result-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: resultFile) }
        var environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
        for variable in container.env ?? [] {
            if let value = variable.value { environment[variable.name] = value }
        }
        // Fail fast and locally: a closed port, a result file we can read, a repository path that exists.
        environment["PGHOST"] = "127.0.0.1"
        environment["PGPORT"] = "1"
        environment["PGUSER"] = "lifeboat"
        environment["PGSSLMODE"] = "disable"
        environment["LIFEBOAT_RESULT_FILE"] = resultFile.path
        environment["LIFEBOAT_REPO"] = "file://" + FileManager.default.temporaryDirectory.path

        let process = Process()
        process.executableURL = Self.binary
        process.arguments = container.args
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus != 64, "the worker rejected the builder's arguments \(container.args ?? []): \(stderr)")
        #expect(process.terminationStatus != 0, "nothing listens on port 1; the backup cannot have succeeded")
        let result = try WorkerResult.decode(terminationMessage: String(contentsOf: resultFile, encoding: .utf8))
        #expect(result.command == "backup")
        #expect(result.ok == false)
        #expect(result.kind == .logical)
        #expect(result.databases == ["orders", "billing"])
        let error = try #require(result.error)
        #expect(!error.code.isEmpty)
        let record = RunRecord(result: result, jobName: "orders-logical-29920912", fallbackTime: "2026-11-21T00:00:00Z")
        #expect(record.message?.contains(error.message) == true)
    }
}
