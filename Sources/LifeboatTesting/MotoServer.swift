import BackupEngine
import Foundation

/// A real `moto_server` (moto's S3 implementation) on a free loopback port, for integration tests.
///
/// Use ``withMotoServer(buckets:environment:isolation:_:)``: it starts the server, waits until it
/// answers, creates the buckets and always stops the server (SIGTERM, then wait) when the body ends,
/// whether it returned or threw.
public struct MotoServer: Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    /// Where the server's output goes (kept for debugging a failed test).
    public let logPath: String

    /// An access key id to sign with: moto accepts any credentials unless auth is switched on.
    public static let accessKeyId = "AKIDMOTOTESTING"
    /// A secret access key to sign with.
    public static let secretAccessKey = "moto-testing-secret"

    /// `http://127.0.0.1:<port>`.
    public var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Whether `moto_server` is on `PATH` (tests are disabled with a clear reason otherwise).
    public static var isAvailable: Bool { S3FixtureSupport.executable(named: "moto_server") != nil }

    /// Creates a bucket (an unsigned `PUT /bucket`, which moto accepts while auth is off). The first S3 request makes
    /// moto import its S3 backend, which takes seconds on a loaded machine: hence the long timeout.
    public func createBucket(_ name: String) throws {
        let (status, body) = try S3FixtureSupport.loopbackRequest(port: port, method: "PUT", path: "/\(name)", timeoutSeconds: 60)
        guard (200..<300).contains(status) else {
            throw S3FixtureError("moto_server refused to create bucket \(name): HTTP \(status) \(body.prefix(300))")
        }
    }

    /// Whether the server answers HTTP on its port.
    public func isAnswering() -> Bool {
        (try? S3FixtureSupport.loopbackRequest(port: port, method: "GET", path: "/moto-api/")) != nil
    }
}

/// Runs `body` with a fresh `moto_server` and stops the server afterwards, always.
///
/// - Parameters:
///   - buckets: created before `body` runs.
///   - environment: extra variables for the server, e.g. `["INITIAL_NO_AUTH_ACTION_COUNT": "0"]`
///     to make moto validate credentials (then `buckets` must be empty: unsigned requests are refused).
public func withMotoServer<T>(
    buckets: [String] = [],
    environment: [String: String] = [:],
    isolation: isolated (any Actor)? = #isolation,
    _ body: (MotoServer) async throws -> T
) async throws -> T {
    guard S3FixtureSupport.executable(named: "moto_server") != nil, let python = S3FixtureSupport.executable(named: "python3") else {
        throw S3FixtureError("moto_server is not on PATH: install it with `pip install 'moto[server]'`")
    }
    var lastError: (any Error)?
    // A port picked as free can be taken before moto binds it: try a few ports.
    for _ in 0..<3 {
        let port = try S3FixtureSupport.freeLoopbackPort()
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("moto-\(port)-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        // moto_server's own entry point, run by python3 after unblocking signals: test runners start
        // children with SIGTERM blocked, and a server that ignores SIGTERM cannot be stopped gracefully.
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            "-c", S3FixtureSupport.pythonUnblockSignals + "; sys.argv = ['moto_server'] + sys.argv[1:]; "
                + "from moto.server import main; sys.exit(main())",
            "-H", "127.0.0.1", "-p", String(port),
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        let server = MotoServer(port: port, logPath: logPath)
        do {
            try await S3FixtureSupport.waitUntilReady("moto_server on port \(port)", process: process, logPath: logPath) {
                server.isAnswering()
            }
        } catch {
            await S3FixtureSupport.stop(process)
            lastError = error
            continue
        }
        do {
            // Off the cooperative pool: the first S3 request can block for seconds while moto imports its S3 backend, and
            // on a 2-core runner two blocked pool threads stall every other test of the process (timing tests then fail).
            // A warm-up bucket makes that first request here, so later synchronous `createBucket` calls are quick.
            // (Only while moto accepts unsigned requests: with INITIAL_NO_AUTH_ACTION_COUNT set, it would use up one.)
            if environment["INITIAL_NO_AUTH_ACTION_COUNT"] == nil {
                try await runBlocking { try server.createBucket("lifeboat-fixture-warm-up") }
            }
            for bucket in buckets { try await runBlocking { try server.createBucket(bucket) } }
            let result = try await body(server)
            await S3FixtureSupport.stop(process)
            try? FileManager.default.removeItem(atPath: logPath)
            return result
        } catch {
            await S3FixtureSupport.stop(process)
            throw error
        }
    }
    throw lastError ?? S3FixtureError("moto_server could not be started")
}
