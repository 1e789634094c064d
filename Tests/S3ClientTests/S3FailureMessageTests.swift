import AsyncHTTPClient
import Foundation
import LifeboatTesting
import Logging
import S3Client
import Testing

/// The messages a person sees when S3 cannot be used, against real servers and sockets.
@Suite("S3 failure messages")
struct S3FailureMessageTests {
    @Test("given moto validating credentials, when an unknown access key signs, then the message names the variables and no secret",
          .enabled(if: MotoServer.isAvailable, "moto_server is not installed"))
    func wrongCredentials() async throws {
        try await withMotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "0"]) { server in
            let secret = "s3cr3t-never-printed"
            let configuration = S3Configuration(
                bucket: "any-bucket", endpoint: server.endpoint,
                credentials: S3Credentials(accessKeyId: "AKIDUNKNOWN", secretAccessKey: secret, sessionToken: "token-never-printed"),
                retryPolicy: S3RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10)))
            let client = S3Client(configuration: configuration, logger: Logger(label: "s3-test"))
            let error = try await #require(throws: S3Error.self) { try await client.putObject(key: "k", bytes: [1]) }
            #expect(error.code == .invalidAccessKeyId)
            #expect(error.httpStatus == 403)
            #expect(error.attempts == 1)
            #expect(error.description.hasPrefix(
                "S3 rejected the credentials (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY"))
            let everything = "\(error) \(String(reflecting: error)) \(configuration.credentials)"
            #expect(!everything.contains(secret))
            #expect(!everything.contains("token-never-printed"))
        }
    }

    @Test("given nothing listening on the endpoint, when listing with the recommended HTTP client, then it fails at once saying the connection was refused")
    func connectionRefused() async throws {
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: S3Client.recommendedHTTPClientConfiguration())
        do {
            try await checkConnectionRefused(httpClient)
        } catch {
            try await httpClient.shutdown()
            throw error
        }
        try await httpClient.shutdown()
    }

    func checkConnectionRefused(_ httpClient: HTTPClient) async throws {
        let port = try S3FixtureSupport.freeLoopbackPort()
        let configuration = S3Configuration(
            bucket: "b", endpoint: URL(string: "http://127.0.0.1:\(port)")!,
            credentials: S3Credentials(accessKeyId: "a", secretAccessKey: "b"),
            retryPolicy: S3RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5)))
        let client = S3Client(configuration: configuration, httpClient: httpClient, logger: Logger(label: "s3-test"))
        let started = ContinuousClock.now
        let error = try await #require(throws: S3Error.self) { try await client.listObjects(prefix: "") }
        // Two attempts that each waited for the 10 s connect timeout would take 20 s or more; a refused connection must
        // fail straight away (alone this takes 0.03 s; 12 s was seen in the full suite on a loaded 2-core machine).
        #expect(ContinuousClock.now - started < .seconds(19))
        #expect(error.code == .connectionFailed)
        #expect(error.isRetryable)
        #expect(error.attempts == 2)
        #expect(error.description.hasPrefix("cannot reach S3 endpoint http://127.0.0.1:\(port): connection refused"))
    }
}
