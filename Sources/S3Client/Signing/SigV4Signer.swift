import Crypto
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4 (header-based), written with swift-crypto.
///
/// Follows the published algorithm: canonical request → string to sign → signature with the key
/// derived from the secret, date, region and service. For S3 create it with `normalizesPath: false`
/// (S3 keys are never normalised: `a//b` and `a/./b` are distinct keys) and add
/// `x-amz-content-sha256` to the headers before signing.
public struct SigV4Signer: Sendable {
    /// The credentials that sign.
    public var credentials: S3Credentials
    /// The region of the credential scope.
    public var region: String
    /// The service of the credential scope (`s3`).
    public var service: String
    /// Whether `.`/`..` segments and repeated slashes are removed from the path (generic services)
    /// or the path is kept as is (S3).
    public var normalizesPath: Bool

    /// The SHA-256 of an empty payload.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Creates a signer.
    public init(credentials: S3Credentials, region: String, service: String = "s3", normalizesPath: Bool = false) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath
    }

    /// Signs `request` at `date`: adds `X-Amz-Date` (unless present) and `X-Amz-Security-Token`
    /// (when the credentials have a session token and the header is absent), then computes the signature.
    public func sign(_ request: SigV4Request, date: Date) -> SigV4Signature {
        let amzDate = SigV4Signer.amzDate(date)
        let shortDate = String(amzDate.prefix(8))
        var headers = request.headers
        if !headers.contains(where: { $0.name.lowercased() == "x-amz-date" }) {
            headers.append(SigV4Header("X-Amz-Date", amzDate))
        }
        if let token = credentials.sessionToken,
            !headers.contains(where: { $0.name.lowercased() == "x-amz-security-token" })
        {
            headers.append(SigV4Header("X-Amz-Security-Token", token))
        }
        let (canonicalHeaders, signedHeaders) = SigV4Signer.canonicalHeaders(headers)
        let canonicalRequest = [
            request.method.uppercased(),
            canonicalURI(request.path),
            SigV4Signer.canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadSHA256,
        ].joined(separator: "\n")
        let scope = "\(shortDate)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", amzDate, scope, SigV4Signer.hexSHA256(Array(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signature = SigV4Signer.hex(
            HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(shortDate: shortDate)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        headers.append(SigV4Header("Authorization", authorization))
        return SigV4Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            signedHeaders: signedHeaders, authorization: authorization, headers: headers)
    }

    /// The signing key: HMAC chain over date, region, service and `aws4_request`.
    private func signingKey(shortDate: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [shortDate, region, service, "aws4_request"] {
            let mac = HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)
            key = SymmetricKey(data: mac)
        }
        return key
    }

    /// The canonical URI: each segment URI-encoded with `/` kept, normalised only when asked.
    public func canonicalURI(_ path: String) -> String {
        var path = path.isEmpty ? "/" : path
        if normalizesPath { path = SigV4Signer.normalize(path) }
        return SigV4Signer.uriEncode(path, encodeSlash: false)
    }

    /// Removes empty, `.` and `..` segments, keeping a trailing slash (RFC 3986 dot-segment removal
    /// plus the suite's collapsing of repeated slashes).
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        var result = "/" + segments.joined(separator: "/")
        let endsWithDirectory = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        if endsWithDirectory && result != "/" { result += "/" }
        return result
    }

    /// The canonical query string: names and values URI-encoded, sorted by name then value.
    public static func canonicalQuery(_ items: [SigV4QueryItem]) -> String {
        let encoded: [(name: String, value: String)] = items.map {
            (uriEncode($0.name, encodeSlash: true), uriEncode($0.value, encodeSlash: true))
        }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// The canonical headers block (each `name:value\n`) and the signed header list.
    static func canonicalHeaders(_ headers: [SigV4Header]) -> (String, String) {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimAll(header.value))
        }
        let names = values.keys.sorted()
        let block = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// Trims a header value and turns every run of spaces into one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// URI-encodes per SigV4: every byte except `A-Z a-z 0-9 - . _ ~` (and `/` when kept) as `%XX`.
    public static func uriEncode(_ string: String, encodeSlash: Bool) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        let hexDigits = Array("0123456789ABCDEF")
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "/") where !encodeSlash:
                result.append("/")
            default:
                result.append("%")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return result
    }

    /// The `X-Amz-Date` form of a date: `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    /// The lowercase hex SHA-256 of `bytes`.
    public static func hexSHA256<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// The lowercase hex SHA-256 of a buffer's readable bytes.
    public static func hexSHA256(_ buffer: ByteBuffer) -> String {
        var hasher = SHA256()
        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        return hex(hasher.finalize())
    }

    static func hex<Digest: Sequence>(_ digest: Digest) -> String where Digest.Element == UInt8 {
        let hexDigits = Array("0123456789abcdef")
        var result = ""
        for byte in digest {
            result.append(hexDigits[Int(byte >> 4)])
            result.append(hexDigits[Int(byte & 0x0F)])
        }
        return result
    }
}
