import Foundation
import Testing

@testable import S3Client

@Suite("SigV4 encoding rules")
struct SigV4EncodingTests {
    @Test("given a string, when URI-encoded for SigV4, then only unreserved characters stay as they are",
          arguments: [
            ("a b", true, "a%20b"),
            ("a/b c", false, "a/b%20c"),
            ("a/b", true, "a%2Fb"),
            ("-._~AZaz09", true, "-._~AZaz09"),
            ("ü€", true, "%C3%BC%E2%82%AC"),
            ("a+b=c&d", true, "a%2Bb%3Dc%26d"),
            ("100%", false, "100%25"),
            ("*", true, "%2A"),
          ])
    func uriEncoding(input: String, encodeSlash: Bool, expected: String) {
        #expect(SigV4Signer.uriEncode(input, encodeSlash: encodeSlash) == expected)
    }

    @Test("given an S3 signer, when the key has dot segments and double slashes, then the path is not normalised")
    func s3PathsAreNotNormalised() {
        let signer = SigV4Signer(credentials: S3Credentials(accessKeyId: "a", secretAccessKey: "b"), region: "us-east-1")
        #expect(signer.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a//b/./c/../d")
        var generic = signer
        generic.normalizesPath = true
        #expect(generic.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a/b/d")
    }

    @Test("given query items in any order, when canonicalised, then they are encoded and sorted by name then value")
    func canonicalQuery() {
        let query = SigV4Signer.canonicalQuery([
            SigV4QueryItem("prefix", "a b/"), SigV4QueryItem("list-type", "2"), SigV4QueryItem("uploads"),
            SigV4QueryItem("b", "2"), SigV4QueryItem("b", "1"),
        ])
        #expect(query == "b=1&b=2&list-type=2&prefix=a%20b%2F&uploads=")
    }

    @Test("given dates, when formatted for x-amz-date, then they are UTC with zero padding",
          arguments: [(0.0, "19700101T000000Z"), (1_440_938_160.0, "20150830T123600Z"), (951_782_400.5, "20000229T000000Z")])
    func amzDate(seconds: Double, expected: String) {
        #expect(SigV4Signer.amzDate(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
