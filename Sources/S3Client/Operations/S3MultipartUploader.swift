import Logging
import NIOCore

/// A streaming writer of one S3 object: the backup pipeline writes bytes as it produces them.
///
/// Bytes are buffered up to the part size. From ``S3Client/makeUploader(key:ifNoneMatch:concurrency:)``,
/// full parts are uploaded `concurrency` at a time inside `write` (the caller waits meanwhile);
/// inside ``S3Client/withUploader(key:ifNoneMatch:concurrency:_:)`` they are handed to background
/// child tasks, so parts upload while the caller keeps producing. Either way memory stays bounded
/// (a few parts) however large the object. An object
/// smaller than one part is sent as a single PutObject at ``finish()``; a larger one becomes a
/// multipart upload completed at ``finish()``. With `ifNoneMatch`, an existing key is refused: a HEAD
/// before the first part fails early (before gigabytes are sent), and CompleteMultipartUpload /
/// PutObject carry `If-None-Match: *`, which S3 (and moto) check atomically.
///
/// On failure, call ``abort()`` so no half-written upload remains; ``finish()`` aborts by itself when
/// completing fails.
public actor S3MultipartUploader {
    /// The key being written.
    public nonisolated let key: String
    private let client: S3Client
    private let ifNoneMatch: Bool
    private let partSize: Int
    private let concurrency: Int
    private var buffer: ByteBuffer
    private var pending: [ByteBuffer] = []
    private var uploadId: String?
    private var etags: [Int: String] = [:]
    private var nextPartNumber = 1
    /// Set inside ``S3Client/withUploader(key:ifNoneMatch:concurrency:_:)``: parts go to its uploading tasks.
    private let queue: S3PartQueue?
    private var written: Int64 = 0
    private var state: State = .open

    private enum State { case open, finished, aborted, failed }

    init(client: S3Client, key: String, ifNoneMatch: Bool, concurrency: Int, queue: S3PartQueue? = nil) {
        self.queue = queue
        self.client = client
        self.key = key
        self.ifNoneMatch = ifNoneMatch
        self.partSize = client.configuration.partSize
        self.concurrency = max(1, concurrency)
        self.buffer = ByteBuffer()
        self.buffer.reserveCapacity(client.configuration.partSize)
    }

    /// The multipart upload id, once the object has grown past one part.
    public var currentUploadId: String? { uploadId }

    /// The number of bytes accepted so far.
    public var bytesWritten: Int64 { written }

    /// Appends bytes; uploads parts as they fill (this call waits while they upload).
    public func write(_ bytes: ByteBuffer) async throws {
        var bytes = bytes
        try checkOpen()
        written += Int64(bytes.readableBytes)
        while bytes.readableBytes > 0 {
            let room = partSize - buffer.readableBytes
            let slice = bytes.readSlice(length: min(room, bytes.readableBytes))!
            buffer.writeImmutableBuffer(slice)
            if buffer.readableBytes == partSize {
                pending.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(partSize)
                if pending.count >= concurrency { try await flushPending() }
            }
        }
    }

    /// Appends bytes (see ``write(_:)-(ByteBuffer)``).
    public func write<Bytes: Collection & Sendable>(_ bytes: Bytes) async throws where Bytes.Element == UInt8 {
        try await write(ByteBuffer(bytes: bytes))
    }

    /// Sends what remains and makes the object visible.
    ///
    /// - Returns: the key, entity tag, size and number of parts (0 for a single PutObject).
    /// - Throws: ``S3Error`` with ``S3Error/isPreconditionFailed`` when `ifNoneMatch` was asked and the key exists.
    public func finish() async throws -> S3UploadResult {
        if queue != nil {
            throw usageError("withUploader finishes the upload itself when its body returns; do not call finish() inside it")
        }
        try await sendRemainder()
        return try await complete()
    }

    /// Queues what remains as the last part, unless the object fits in one PutObject.
    func sendRemainder() async throws {
        try checkOpen()
        if uploadId == nil && pending.isEmpty { return }
        if buffer.readableBytes > 0 {
            pending.append(buffer)
            buffer = ByteBuffer()
        }
        try await flushPending()
    }

    /// Records a part uploaded by a ``S3Client/withUploader(key:ifNoneMatch:concurrency:_:)`` task.
    func record(partNumber: Int, etag: String) {
        etags[partNumber] = etag
    }

    /// Sends the object as one PutObject, or completes the multipart upload (every part uploaded).
    func complete() async throws -> S3UploadResult {
        try checkOpen()
        guard let uploadId else {
            // Smaller than one part: a single PutObject, conditional when asked.
            do {
                let etag = try await client.putObject(key: key, body: buffer, ifNoneMatch: ifNoneMatch)
                state = .finished
                return S3UploadResult(key: key, etag: etag, size: written, partCount: 0)
            } catch {
                state = .failed
                throw error
            }
        }
        let partCount = nextPartNumber - 1
        let ordered = (1...max(partCount, 1)).compactMap { etags[$0] }
        guard partCount > 0, ordered.count == partCount else {
            state = .failed
            await abort()
            throw usageError("only \(ordered.count) of \(partCount) parts were uploaded")
        }
        do {
            let etag = try await client.completeMultipartUpload(key: key, uploadId: uploadId, etags: ordered, ifNoneMatch: ifNoneMatch)
            state = .finished
            return S3UploadResult(key: key, etag: etag, size: written, partCount: partCount)
        } catch {
            state = .failed
            await abort()
            throw error
        }
    }

    /// Aborts the multipart upload (if one was started) so nothing half-written remains. Best effort:
    /// a failure is logged, never thrown; calling it twice is harmless.
    public func abort() async {
        pending = []
        buffer = ByteBuffer()
        if state == .finished || state == .aborted { return }
        state = .aborted
        guard let uploadId else { return }
        do {
            try await client.abortMultipartUpload(key: key, uploadId: uploadId)
        } catch {
            client.logger.warning(
                "could not abort S3 multipart upload; prune will clear it",
                metadata: ["s3.key": "\(key)", "s3.upload_id": "\(uploadId)", "s3.error": "\(error)"])
        }
    }

    private func checkOpen() throws {
        guard state == .open else { throw usageError("the uploader is \(state) and accepts no more bytes") }
    }

    private func usageError(_ message: String) -> S3Error {
        S3Error(
            code: .httpError, httpStatus: nil, message: message, operation: "UploadPart",
            bucket: client.configuration.bucket, key: key, endpoint: client.configuration.endpointDescription)
    }

    /// Uploads the pending full parts concurrently; starts the multipart upload first when needed.
    private func flushPending() async throws {
        guard !pending.isEmpty else { return }
        do {
            let id = try await startIfNeeded()
            let firstNumber = nextPartNumber
            let parts = pending
            pending = []
            nextPartNumber += parts.count
            if let queue {
                for (offset, part) in parts.enumerated() {
                    try await queue.send(S3PartQueue.Part(number: firstNumber + offset, uploadId: id, body: part))
                }
                return
            }
            let client = self.client
            let key = self.key
            let uploaded = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (offset, part) in parts.enumerated() {
                    group.addTask {
                        let etag = try await client.uploadPart(key: key, uploadId: id, partNumber: firstNumber + offset, body: part)
                        return (offset, etag)
                    }
                }
                var result = [String](repeating: "", count: parts.count)
                for try await (offset, etag) in group { result[offset] = etag }
                return result
            }
            for (offset, etag) in uploaded.enumerated() { etags[firstNumber + offset] = etag }
        } catch {
            state = .failed
            throw error
        }
    }

    private func startIfNeeded() async throws -> String {
        if let uploadId { return uploadId }
        if ifNoneMatch, try await client.headObject(key: key) != nil {
            // Fail before sending gigabytes; the conditional complete still guards the race.
            throw S3Error(
                code: .preconditionFailed, httpStatus: 412, message: "checked before the upload started",
                operation: "CreateMultipartUpload", bucket: client.configuration.bucket, key: key,
                endpoint: client.configuration.endpointDescription)
        }
        let id = try await client.createMultipartUpload(key: key)
        uploadId = id
        return id
    }
}
