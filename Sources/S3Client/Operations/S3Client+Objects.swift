import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// Writes a whole object with one PutObject.
    ///
    /// - Parameter ifNoneMatch: sends `If-None-Match: *`, so the write fails with
    ///   ``S3Error/isPreconditionFailed`` when the key already exists (never overwrites).
    /// - Returns: the new object's entity tag, without quotes.
    @discardableResult
    public func putObject(key: String, body: ByteBuffer, ifNoneMatch: Bool = false) async throws -> String? {
        var headers: [SigV4Header] = []
        if ifNoneMatch { headers.append(SigV4Header("If-None-Match", "*")) }
        if let storageClass = configuration.storageClass { headers.append(SigV4Header("x-amz-storage-class", storageClass)) }
        let response = try await perform(
            S3Request(operation: "PutObject", method: .PUT, key: key, headers: headers, body: body))
        return response.headers.first(name: "ETag")?.unquotedETag
    }

    /// Writes a whole object with one PutObject (see ``putObject(key:body:ifNoneMatch:)``).
    @discardableResult
    public func putObject(key: String, bytes: [UInt8], ifNoneMatch: Bool = false) async throws -> String? {
        try await putObject(key: key, body: ByteBuffer(bytes: bytes), ifNoneMatch: ifNoneMatch)
    }

    /// Reads a whole object into memory: for small objects such as manifests (at most `limit` bytes).
    public func getObject(key: String, limit: Int = 256 << 20) async throws -> [UInt8] {
        let response = try await perform(S3Request(operation: "GetObject", method: .GET, key: key), bodyLimit: limit)
        return Array(response.body.readableBytesView)
    }

    /// Streams an object to `consume`, chunk by chunk, in bounded memory: for multi-GB dumps.
    ///
    /// A transient failure in the middle resumes where it stopped, with `Range: bytes=N-` and
    /// `If-Match` on the first response's entity tag (so a replaced object is never spliced).
    /// Errors thrown by `consume` end the download at once and are rethrown unchanged.
    ///
    /// - Returns: the object's size and entity tag.
    @discardableResult
    public func getObject(key: String, consume: (ByteBuffer) async throws -> Void) async throws -> S3ObjectInfo {
        let request = S3Request(operation: "GetObject", method: .GET, key: key)
        var delivered: Int64 = 0
        var etag: String?
        var total: Int64?
        var lastModified: Date?
        do {
        try await withRetries(request) { () async throws -> Void in
            var extra: [SigV4Header] = []
            if delivered > 0 {
                extra.append(SigV4Header("Range", "bytes=\(delivered)-"))
                if let etag { extra.append(SigV4Header("If-Match", "\"\(etag)\"")) }
            }
            let response = try await execute(request, timeout: configuration.streamingTimeout, extraHeaders: extra)
            let status = Int(response.status.code)
            guard status == 200 || status == 206 else {
                let body = (try? await response.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
                throw serviceError(status: status, headers: response.headers, body: body, request: request)
            }
            if delivered > 0 && status != 206 {
                throw S3Error(
                    code: .invalidResponse, httpStatus: status, message: "the endpoint ignored the Range header when resuming",
                    operation: "GetObject", bucket: configuration.bucket, key: key, endpoint: configuration.endpointDescription)
            }
            if etag == nil { etag = response.headers.first(name: "ETag")?.unquotedETag }
            if lastModified == nil { lastModified = response.headers.first(name: "Last-Modified").flatMap(S3Date.parseHTTPDate) }
            if total == nil, let length = response.headers.first(name: "Content-Length").flatMap({ Int64($0) }) {
                total = length
            }
            var iterator = response.body.makeAsyncIterator()
            while true {
                let chunk: ByteBuffer?
                do {
                    chunk = try await iterator.next()
                } catch {
                    throw transportError(error, request: request)
                }
                guard let chunk else { break }
                do {
                    try await consume(chunk)
                } catch {
                    // Never retried: the consumer may have used part of the chunk.
                    throw ConsumerFailure(error: error)
                }
                delivered += Int64(chunk.readableBytes)
            }
            if let total, delivered < total {
                throw S3Error(
                    code: .connectionFailed, httpStatus: nil,
                    message: "the response ended after \(delivered) of \(total) bytes",
                    operation: "GetObject", bucket: configuration.bucket, key: key, endpoint: configuration.endpointDescription)
            }
        }
        } catch let failure as ConsumerFailure {
            throw failure.error
        }
        return S3ObjectInfo(key: key, size: delivered, lastModified: lastModified, etag: etag)
    }

    /// Describes an object without reading it.
    ///
    /// - Returns: `nil` only when S3 answers 404; every other failure throws. A HEAD response has no
    ///   body, so a missing bucket also reads as `nil` here; ``listObjects(prefix:delimiter:maxKeys:)``
    ///   tells the two apart.
    public func headObject(key: String) async throws -> S3ObjectInfo? {
        let response = try await perform(S3Request(operation: "HeadObject", method: .HEAD, key: key), accepting: [404])
        if response.status == 404 { return nil }
        let headers = response.headers
        return S3ObjectInfo(
            key: key,
            size: headers.first(name: "Content-Length").flatMap { Int64($0) } ?? 0,
            lastModified: headers.first(name: "Last-Modified").flatMap(S3Date.parseHTTPDate),
            etag: headers.first(name: "ETag")?.unquotedETag,
            storageClass: headers.first(name: "x-amz-storage-class"))
    }

    /// Deletes an object; deleting a key that does not exist succeeds, as in S3.
    public func deleteObject(key: String) async throws {
        _ = try await perform(S3Request(operation: "DeleteObject", method: .DELETE, key: key))
    }
}

/// Carries an error thrown by a download's consumer through the retry loop, so it is never retried.
private struct ConsumerFailure: Error {
    var error: any Error
}
