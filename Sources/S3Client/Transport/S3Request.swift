import NIOCore
import NIOHTTP1

/// One S3 API call, before addressing and signing: replayable, so it can be retried as is.
struct S3Request: Sendable {
    /// The S3 operation name, for logs and errors (`PutObject`).
    var operation: String
    var method: HTTPMethod
    /// The object key, or `nil` for a bucket-level call.
    var key: String?
    var query: [SigV4QueryItem] = []
    /// Extra headers to send and sign (`If-None-Match`, `x-amz-storage-class` …).
    var headers: [SigV4Header] = []
    var body: ByteBuffer?
}

/// A completed S3 response with its body collected.
struct S3Response: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer

    /// The body parsed as XML.
    func xml(operation: String) throws(S3XMLError) -> S3XMLElement {
        try S3XMLElement.parse(body.readableBytesView)
    }
}
