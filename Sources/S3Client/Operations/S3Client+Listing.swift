import Crypto
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// Lists objects under `prefix` with ListObjectsV2, following continuation tokens to the end.
    ///
    /// - Parameters:
    ///   - delimiter: groups keys into ``S3Listing/commonPrefixes`` (e.g. `/`).
    ///   - maxKeys: the page size asked of S3 (at most 1000); every page is fetched whatever it is.
    public func listObjects(prefix: String, delimiter: String? = nil, maxKeys: Int? = nil) async throws -> S3Listing {
        var listing = S3Listing()
        var token: String?
        repeat {
            var query = [SigV4QueryItem("list-type", "2"), SigV4QueryItem("prefix", prefix)]
            if let delimiter { query.append(SigV4QueryItem("delimiter", delimiter)) }
            if let maxKeys { query.append(SigV4QueryItem("max-keys", String(maxKeys))) }
            if let token { query.append(SigV4QueryItem("continuation-token", token)) }
            let request = S3Request(operation: "ListObjectsV2", method: .GET, key: nil, query: query)
            let xml = try parse(try await perform(request), request: request)
            for entry in xml.children("Contents") {
                guard let key = entry.value("Key") else { continue }
                listing.objects.append(
                    S3ObjectInfo(
                        key: key, size: entry.value("Size").flatMap { Int64($0) } ?? 0,
                        lastModified: entry.value("LastModified").flatMap(S3Date.parseISO8601),
                        etag: entry.value("ETag")?.unquotedETag, storageClass: entry.value("StorageClass")))
            }
            listing.commonPrefixes += xml.children("CommonPrefixes").compactMap { $0.value("Prefix") }
            token = xml.value("IsTruncated") == "true" ? xml.value("NextContinuationToken") : nil
        } while token != nil
        return listing
    }

    /// Deletes many objects with DeleteObjects (`POST ?delete`), 1000 keys per request.
    ///
    /// - Throws: the first per-key failure S3 reports, with the number of keys that failed.
    public func deleteObjects(keys: [String]) async throws {
        var start = 0
        while start < keys.count {
            let chunk = keys[start..<min(start + 1000, keys.count)]
            start += chunk.count
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>"
            for key in chunk { xml += "<Object><Key>\(key.xmlEscaped)</Key></Object>" }
            xml += "</Delete>"
            let body = ByteBuffer(string: xml)
            var hasher = Insecure.MD5()
            body.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            let md5 = Data(hasher.finalize()).base64EncodedString()
            let request = S3Request(
                operation: "DeleteObjects", method: .POST, key: nil, query: [SigV4QueryItem("delete")],
                headers: [SigV4Header("Content-MD5", md5), SigV4Header("Content-Type", "application/xml")], body: body)
            let result = try parse(try await perform(request), request: request)
            let errors = result.children("Error")
            if let first = errors.first {
                throw S3Error(
                    code: S3Error.Code(rawValue: first.value("Code") ?? "HTTPError"), httpStatus: nil,
                    message: "\(first.value("Message") ?? "") (\(errors.count) of \(chunk.count) keys not deleted)",
                    operation: "DeleteObjects", bucket: configuration.bucket, key: first.value("Key"),
                    endpoint: configuration.endpointDescription)
            }
        }
    }

    /// Lists the multipart uploads under `prefix` that were neither completed nor aborted.
    public func listMultipartUploads(prefix: String) async throws -> [S3MultipartUpload] {
        var uploads: [S3MultipartUpload] = []
        var keyMarker: String?
        var uploadIdMarker: String?
        while true {
            var query = [SigV4QueryItem("uploads"), SigV4QueryItem("prefix", prefix)]
            if let keyMarker { query.append(SigV4QueryItem("key-marker", keyMarker)) }
            if let uploadIdMarker { query.append(SigV4QueryItem("upload-id-marker", uploadIdMarker)) }
            let request = S3Request(operation: "ListMultipartUploads", method: .GET, key: nil, query: query)
            let xml = try parse(try await perform(request), request: request)
            for upload in xml.children("Upload") {
                guard let key = upload.value("Key"), let id = upload.value("UploadId") else { continue }
                uploads.append(
                    S3MultipartUpload(key: key, uploadId: id, initiated: upload.value("Initiated").flatMap(S3Date.parseISO8601)))
            }
            guard xml.value("IsTruncated") == "true", let nextKey = xml.value("NextKeyMarker"), !nextKey.isEmpty else { break }
            keyMarker = nextKey
            uploadIdMarker = xml.value("NextUploadIdMarker")
        }
        return uploads
    }

    /// Aborts a multipart upload, discarding its parts; an upload that no longer exists is not an error.
    public func abortMultipartUpload(key: String, uploadId: String) async throws {
        let request = S3Request(
            operation: "AbortMultipartUpload", method: .DELETE, key: key, query: [SigV4QueryItem("uploadId", uploadId)])
        _ = try await perform(request, accepting: [404])
    }

    /// Starts a multipart upload and returns its id.
    func createMultipartUpload(key: String) async throws -> String {
        var headers: [SigV4Header] = []
        if let storageClass = configuration.storageClass { headers.append(SigV4Header("x-amz-storage-class", storageClass)) }
        let request = S3Request(
            operation: "CreateMultipartUpload", method: .POST, key: key, query: [SigV4QueryItem("uploads")], headers: headers)
        let xml = try parse(try await perform(request), request: request)
        guard let id = xml.value("UploadId"), !id.isEmpty else {
            throw invalidResponse("CreateMultipartUpload answered without an UploadId", request: request)
        }
        return id
    }

    /// Uploads one part and returns its entity tag (quoted, as CompleteMultipartUpload wants it).
    func uploadPart(key: String, uploadId: String, partNumber: Int, body: ByteBuffer) async throws -> String {
        let request = S3Request(
            operation: "UploadPart", method: .PUT, key: key,
            query: [SigV4QueryItem("partNumber", String(partNumber)), SigV4QueryItem("uploadId", uploadId)], body: body)
        let response = try await perform(request)
        guard let etag = response.headers.first(name: "ETag") else {
            throw invalidResponse("UploadPart answered without an ETag", request: request)
        }
        return "\"\(etag.unquotedETag)\""
    }

    /// Completes a multipart upload from its parts' entity tags (in part order).
    ///
    /// S3 may answer 200 and still report an error in the body; that is thrown too.
    func completeMultipartUpload(key: String, uploadId: String, etags: [String], ifNoneMatch: Bool) async throws -> String? {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(etag.xmlEscaped)</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        var headers = [SigV4Header("Content-Type", "application/xml")]
        if ifNoneMatch { headers.append(SigV4Header("If-None-Match", "*")) }
        let request = S3Request(
            operation: "CompleteMultipartUpload", method: .POST, key: key, query: [SigV4QueryItem("uploadId", uploadId)],
            headers: headers, body: ByteBuffer(string: xml))
        let response = try await perform(request, errorsIn200: true)
        return try parse(response, request: request).value("ETag")?.unquotedETag
    }

    func parse(_ response: S3Response, request: S3Request) throws -> S3XMLElement {
        do {
            return try response.xml(operation: request.operation)
        } catch {
            throw invalidResponse("\(error)", request: request)
        }
    }

    func invalidResponse(_ message: String, request: S3Request) -> S3Error {
        S3Error(
            code: .invalidResponse, httpStatus: nil, message: message, operation: request.operation,
            bucket: configuration.bucket, key: request.key, endpoint: configuration.endpointDescription)
    }
}
