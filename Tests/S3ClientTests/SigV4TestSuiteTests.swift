import Foundation
import Testing

@testable import S3Client

/// AWS's published SigV4 test suite (see Vectors/SOURCE.md): canonical request, string to sign and
/// Authorization header must match byte for byte.
@Suite("SigV4 against AWS's test suite")
struct SigV4TestSuiteTests {
    struct Suite: Decodable {
        var accessKeyId: String
        var secretAccessKey: String
        var region: String
        var service: String
        var date: String
        var vectors: [Vector]
    }

    struct Vector: Decodable, CustomTestStringConvertible, Sendable {
        var name: String
        var method: String
        var path: String
        var query: String
        var headers: [[String]]
        var body: String
        var sessionToken: String?
        var normalizePath: Bool
        var canonicalRequest: String
        var stringToSign: String
        var authorization: String
        var testDescription: String { name }
    }

    static func loadSuite() throws -> Suite {
        let url = try #require(Bundle.module.url(forResource: "Vectors", withExtension: nil))
        let data = try Data(contentsOf: url.appendingPathComponent("sigv4-test-suite.json"))
        return try JSONDecoder().decode(Suite.self, from: data)
    }

    static let vectors: [Vector] = (try? loadSuite().vectors) ?? []

    /// 2015-08-30T12:36:00Z, the suite's signing date.
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)

    static func sign(_ vector: Vector, suite: Suite, secret: String? = nil) -> SigV4Signature {
        let credentials = S3Credentials(
            accessKeyId: suite.accessKeyId, secretAccessKey: secret ?? suite.secretAccessKey, sessionToken: vector.sessionToken)
        let signer = SigV4Signer(
            credentials: credentials, region: suite.region, service: suite.service, normalizesPath: vector.normalizePath)
        let query: [SigV4QueryItem] = vector.query.isEmpty ? [] : vector.query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return SigV4QueryItem(String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
        }
        let request = SigV4Request(
            method: vector.method, path: vector.path, query: query,
            headers: vector.headers.map { SigV4Header($0[0], $0[1]) },
            payloadSHA256: SigV4Signer.hexSHA256(Array(vector.body.utf8)))
        return signer.sign(request, date: suiteDate)
    }

    @Test("given the suite file, when loaded, then it holds at least 8 vectors")
    func suiteIsComplete() throws {
        let suite = try Self.loadSuite()
        #expect(suite.vectors.count >= 8)
        #expect(suite.date == SigV4Signer.amzDate(Self.suiteDate))
    }

    @Test("given a suite request, when signed, then canonical request, string to sign and Authorization match AWS's",
          arguments: vectors)
    func matchesPublishedVector(_ vector: Vector) throws {
        let suite = try Self.loadSuite()
        let signature = Self.sign(vector, suite: suite)
        #expect(signature.canonicalRequest == vector.canonicalRequest)
        #expect(signature.stringToSign == vector.stringToSign)
        #expect(signature.authorization == vector.authorization)
        #expect(signature.headers.last == SigV4Header("Authorization", vector.authorization))
    }

    @Test("given a suite request, when signed with another secret, then the signature differs", arguments: vectors.prefix(3))
    func wrongSecretChangesSignature(_ vector: Vector) throws {
        let suite = try Self.loadSuite()
        let signature = Self.sign(vector, suite: suite, secret: suite.secretAccessKey + "x")
        #expect(signature.canonicalRequest == vector.canonicalRequest)
        #expect(signature.authorization != vector.authorization)
    }

    @Test("given credentials with a session token, when signing, then the token is sent and signed")
    func sessionTokenIsAddedAndSigned() throws {
        let suite = try Self.loadSuite()
        let vector = try #require(Self.vectors.first { $0.name == "get-vanilla-with-session-token" })
        let signature = Self.sign(vector, suite: suite)
        #expect(signature.headers.contains(SigV4Header("X-Amz-Security-Token", vector.sessionToken!)))
        #expect(signature.signedHeaders == "host;x-amz-date;x-amz-security-token")
        #expect(!signature.description.contains(signature.signature))
    }
}
