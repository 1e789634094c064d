import Foundation
import NIOCore
import Testing

@testable import S3Client

/// The client's real request preparation (URL, headers, signature) compared with botocore's
/// `S3SigV4Auth` signing the same S3 requests, built independently in Python the way botocore's
/// serializer builds them.
@Suite("SigV4 against botocore", .enabled(if: S3TestSupport.botocoreAvailable, "python3 with botocore is not installed"))
struct BotocoreSigningTests {
    static let script = #"""
import datetime, json, sys
from urllib.parse import quote, urlsplit
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence
spec = json.load(sys.stdin)
botocore.auth.get_current_datetime = lambda *a, **k: datetime.datetime(2015, 8, 30, 12, 36, 0)
out = []
for case in spec["cases"]:
    endpoint = urlsplit(case["endpoint"])
    key = case["key"]
    if case["style"] == "path":
        netloc, path = endpoint.netloc, "/" + case["bucket"] + ("/" + quote(key, safe="/~") if key is not None else "")
    else:
        netloc, path = case["bucket"] + "." + endpoint.netloc, "/" + (quote(key, safe="/~") if key is not None else "")
    url = endpoint.scheme + "://" + netloc + path
    params = [(k, v) for k, v in case["query"]]
    request = AWSRequest(method=case["method"], url=url, data=bytes.fromhex(case["body"]),
                         headers={k: v for k, v in case["headers"]}, params=params)
    creds = Credentials(spec["accessKey"], spec["secretKey"], case.get("token"))
    botocore.auth.S3SigV4Auth(creds, "s3", spec["region"]).add_auth(request)
    query = percent_encode_sequence(params)
    out.append({"authorization": request.headers["Authorization"], "url": url + ("?" + query if query else ""),
                "contentSHA256": request.headers["X-Amz-Content-SHA256"]})
json.dump(out, sys.stdout)
"""#

    struct Case {
        var name: String
        var request: S3Request
        var token: String?
        var style: S3Configuration.AddressingStyle = .path
        var endpoint: URL? = URL(string: "http://127.0.0.1:9000")
    }

    struct Answer: Decodable {
        var authorization: String
        var url: String
        var contentSHA256: String
    }

    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    static var cases: [Case] {
        let body = ByteBuffer(bytes: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        return [
            Case(name: "PUT with body, If-None-Match and storage class",
                 request: S3Request(operation: "PutObject", method: .PUT, key: "backups/2026-11-21/base.tar.zst",
                                    headers: [SigV4Header("If-None-Match", "*"), SigV4Header("x-amz-storage-class", "STANDARD_IA")],
                                    body: body)),
            Case(name: "ListObjectsV2 with an encoded query",
                 request: S3Request(operation: "ListObjectsV2", method: .GET, key: nil, query: [
                    SigV4QueryItem("list-type", "2"), SigV4QueryItem("prefix", "wal/0000 0001/ü"), SigV4QueryItem("delimiter", "/"),
                    SigV4QueryItem("max-keys", "2"), SigV4QueryItem("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
                 ])),
            Case(name: "GET of a key with spaces, unicode and reserved characters",
                 request: S3Request(operation: "GetObject", method: .GET, key: "dir/my file ü €+%&=.bin")),
            Case(name: "HEAD of a key with dot segments and double slashes (never normalised)",
                 request: S3Request(operation: "HeadObject", method: .HEAD, key: "a//b/./c/../d")),
            Case(name: "CreateMultipartUpload",
                 request: S3Request(operation: "CreateMultipartUpload", method: .POST, key: "dump.zst", query: [SigV4QueryItem("uploads")])),
            Case(name: "UploadPart",
                 request: S3Request(operation: "UploadPart", method: .PUT, key: "dump.zst",
                                    query: [SigV4QueryItem("partNumber", "7"), SigV4QueryItem("uploadId", "VXBsb2FkIElE+/=")], body: body)),
            Case(name: "DeleteObjects with Content-MD5",
                 request: S3Request(operation: "DeleteObjects", method: .POST, key: nil, query: [SigV4QueryItem("delete")],
                                    headers: [SigV4Header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), SigV4Header("Content-Type", "application/xml")],
                                    body: ByteBuffer(string: "<Delete><Object><Key>a &amp; b</Key></Object></Delete>"))),
            Case(name: "GET with a session token", request: S3Request(operation: "GetObject", method: .GET, key: "manifest.json"),
                 token: "FwoGZXIvYXdzEXAMPLE//token+with/special=chars"),
            Case(name: "virtual-host addressing on AWS",
                 request: S3Request(operation: "GetObject", method: .GET, key: "x/y z"), style: .virtualHost, endpoint: nil),
        ]
    }

    @Test("given S3 requests, when the client signs them, then the Authorization and URL equal botocore's")
    func signaturesMatchBotocore() throws {
        let python = try #require(S3TestSupport.python)
        var specCases: [[String: Any]] = []
        var ours: [(url: String, authorization: String, contentSHA256: String)] = []
        for testCase in Self.cases {
            let configuration = S3Configuration(
                bucket: "lifeboat-backups", region: "eu-west-3", endpoint: testCase.endpoint, addressingStyle: testCase.style,
                credentials: S3Credentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: testCase.token))
            let client = S3Client(configuration: configuration, logger: .init(label: "test"))
            let prepared = client.prepare(testCase.request, date: Self.date)
            let authorization = try #require(prepared.headers.first { $0.name == "Authorization" }?.value)
            let contentHash = try #require(prepared.headers.first { $0.name == "x-amz-content-sha256" }?.value)
            ours.append((prepared.url, authorization, contentHash))
            let skipped: Set<String> = ["host", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
            var spec: [String: Any] = [
                "endpoint": (testCase.endpoint ?? URL(string: "https://s3.eu-west-3.amazonaws.com")!).absoluteString,
                "style": testCase.style == .path ? "path" : "virtual",
                "bucket": "lifeboat-backups",
                "key": testCase.request.key.map { $0 as Any } ?? NSNull(),
                "method": testCase.request.method.rawValue,
                "query": testCase.request.query.map { [$0.name, $0.value] },
                "headers": prepared.headers.filter { !skipped.contains($0.name.lowercased()) }.map { [$0.name, $0.value] },
                "body": testCase.request.body.map { $0.readableBytesView.map { String(format: "%02x", $0) }.joined() } ?? "",
            ]
            if let token = testCase.token { spec["token"] = token }
            specCases.append(spec)
        }
        let input = try JSONSerialization.data(withJSONObject: [
            "accessKey": "AKIDEXAMPLE", "secretKey": Self.secret, "region": "eu-west-3", "cases": specCases,
        ])
        let output = try S3TestSupport.run(python, ["-c", Self.script], input: input)
        let answers = try JSONDecoder().decode([Answer].self, from: output)
        try #require(answers.count == Self.cases.count)
        for (index, answer) in answers.enumerated() {
            let name = Self.cases[index].name
            #expect(ours[index].authorization == answer.authorization, "\(name)")
            #expect(ours[index].contentSHA256 == answer.contentSHA256, "\(name)")
            #expect(Self.sortedQuery(ours[index].url) == Self.sortedQuery(answer.url), "\(name)")
        }
    }

    /// The URL with its query parameters sorted (botocore keeps insertion order, the client sends them sorted).
    static func sortedQuery(_ url: String) -> String {
        guard let mark = url.firstIndex(of: "?") else { return url }
        let query = url[url.index(after: mark)...].split(separator: "&").sorted().joined(separator: "&")
        return String(url[..<mark]) + "?" + query
    }
}
