import Foundation
import Testing

@testable import S3Client

@Suite("S3 client values")
struct S3ClientUnitTests {
    @Test("given an environment without credentials, when reading them, then the error names the missing variables",
          arguments: [
            ([:], "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"),
            (["AWS_ACCESS_KEY_ID": "AKID"], "AWS_SECRET_ACCESS_KEY"),
            (["AWS_SECRET_ACCESS_KEY": "s", "AWS_ACCESS_KEY_ID": ""], "AWS_ACCESS_KEY_ID"),
          ])
    func missingCredentials(environment: [String: String], missing: String) {
        let error = #expect(throws: S3CredentialsError.self) { try S3Credentials.fromEnvironment(environment) }
        #expect(error?.description.hasPrefix("S3 credentials are missing: set \(missing) ") == true)
    }

    @Test("given a complete environment, when reading credentials, then the description hides the secrets")
    func credentialsFromEnvironment() throws {
        let credentials = try S3Credentials.fromEnvironment([
            "AWS_ACCESS_KEY_ID": "AKIDX", "AWS_SECRET_ACCESS_KEY": "very-secret", "AWS_SESSION_TOKEN": "tok3n",
        ])
        #expect(credentials.sessionToken == "tok3n")
        for text in ["\(credentials)", String(reflecting: credentials)] {
            #expect(text.contains("AKIDX"))
            #expect(!text.contains("very-secret"))
            #expect(!text.contains("tok3n"))
        }
    }

    @Test("given a retry number and a jitter draw, when computing the delay, then it is capped exponential full jitter",
          arguments: [(1, 1.0, 100), (2, 1.0, 200), (3, 0.5, 200), (4, 1.0, 800), (10, 1.0, 1000), (3, 0.0, 0)])
    func backoff(retry: Int, random: Double, expectedMilliseconds: Int) {
        let policy = S3RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        let delay = policy.delay(beforeRetry: retry, random: random)
        #expect((delay / .milliseconds(1)).rounded() == Double(expectedMilliseconds))
    }

    @Test("given an S3 failure, when classified, then only transient ones are retryable",
          arguments: [
            (S3Error.Code.slowDown, 503, true), (.internalError, 500, true), (.requestTimeout, 400, true),
            (S3Error.Code(rawValue: "TooManyRequests"), 429, true), (.httpError, 502, true),
            (.accessDenied, 403, false), (.noSuchKey, 404, false), (.preconditionFailed, 412, false),
            (.invalidAccessKeyId, 403, false), (.signatureDoesNotMatch, 403, false),
          ])
    func retryClassification(code: S3Error.Code, status: Int, retryable: Bool) {
        let error = S3Error(code: code, httpStatus: status, message: "", operation: "PutObject", bucket: "b", key: "k", endpoint: "e")
        #expect(error.isRetryable == retryable)
    }

    @Test("given no endpoint, when configured, then AWS virtual-host addressing is the default; with one, path style")
    func addressingDefaults() {
        let credentials = S3Credentials(accessKeyId: "a", secretAccessKey: "b")
        let aws = S3Configuration(bucket: "b", region: "eu-west-3", credentials: credentials, partSize: 1)
        #expect(aws.addressingStyle == .virtualHost)
        #expect(aws.partSize == S3Configuration.minimumPartSize)
        #expect(aws.endpointDescription == "https://s3.eu-west-3.amazonaws.com")
        let minio = S3Configuration(bucket: "b", endpoint: URL(string: "http://minio:9000"), credentials: credentials)
        #expect(minio.addressingStyle == .path)
        #expect(minio.partSize == 16 * 1024 * 1024)
    }

    @Test("given a ListObjectsV2 answer with entities, when parsed, then keys, sizes and dates are decoded")
    func parsesListing() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>
            <Contents><Key>a &amp; b &lt;c&gt; &#233;</Key><LastModified>2026-11-21T10:30:05.123Z</LastModified>
            <ETag>&quot;abc&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>
            <CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes><IsTruncated>false</IsTruncated><Empty/></ListBucketResult>
            """
        let root = try S3XMLElement.parse(Array(xml.utf8))
        #expect(root.name == "ListBucketResult")
        let contents = try #require(root.child("Contents"))
        #expect(contents.value("Key") == "a & b <c> é")
        #expect(contents.value("ETag")?.unquotedETag == "abc")
        #expect(contents.value("Size") == "42")
        #expect(root.children("CommonPrefixes").first?.value("Prefix") == "dir/")
        #expect(root.child("Empty") != nil)
        let date = try #require(contents.value("LastModified").flatMap(S3Date.parseISO8601))
        #expect(abs(date.timeIntervalSince1970 - 1_795_257_005.123) < 0.001)
    }

    @Test("given malformed XML, when parsed, then it throws", arguments: ["<a><b></a>", "<a>", "<a>&bogus;</a>", ""])
    func rejectsMalformedXML(_ text: String) {
        #expect(throws: (any Error).self) { try S3XMLElement.parse(Array(text.utf8)) }
    }

    @Test("given a Last-Modified header, when parsed, then the date is exact")
    func parsesHTTPDate() {
        #expect(S3Date.parseHTTPDate("Sat, 21 Nov 2026 10:30:05 GMT")?.timeIntervalSince1970 == 1_795_257_005)
        #expect(S3Date.parseHTTPDate("yesterday") == nil)
    }
}
