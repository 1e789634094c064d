import NIOCore

extension S3Client {
    /// Runs `body` with a streaming writer whose full parts upload in background child tasks while
    /// `body` keeps writing, then finishes the object.
    ///
    /// At most `concurrency` parts upload at once and one more waits, so memory stays bounded by
    /// `(concurrency + 2) × partSize`. If `body` or any part fails, the multipart upload is aborted
    /// and the error rethrown: nothing half-written remains. Do not call `finish()` inside `body`.
    ///
    /// - Returns: what was written (see ``S3UploadResult``).
    public func withUploader(
        key: String, ifNoneMatch: Bool, concurrency: Int = 2,
        _ body: (S3MultipartUploader) async throws -> Void
    ) async throws -> S3UploadResult {
        let queue = S3PartQueue(capacity: 1)
        let uploader = S3MultipartUploader(client: self, key: key, ifNoneMatch: ifNoneMatch, concurrency: 1, queue: queue)
        do {
            return try await withThrowingTaskGroup(of: Void.self, returning: S3UploadResult.self) { group in
                for _ in 0..<max(1, concurrency) {
                    group.addTask {
                        while let part = await queue.receive() {
                            do {
                                let etag = try await self.uploadPart(
                                    key: key, uploadId: part.uploadId, partNumber: part.number, body: part.body)
                                await uploader.record(partNumber: part.number, etag: etag)
                            } catch {
                                await queue.fail(error)
                                throw error
                            }
                        }
                    }
                }
                do {
                    try await body(uploader)
                    try await uploader.sendRemainder()
                } catch {
                    await queue.fail(error)
                    throw error
                }
                await queue.close()
                try await group.waitForAll()
                return try await uploader.complete()
            }
        } catch {
            await uploader.abort()
            throw error
        }
    }

    /// Creates a streaming writer for `key` (see ``S3MultipartUploader``).
    ///
    /// - Parameters:
    ///   - ifNoneMatch: refuse to replace an existing object.
    ///   - concurrency: how many full parts are uploaded at once (memory is bounded by this × part size).
    public func makeUploader(key: String, ifNoneMatch: Bool, concurrency: Int = 2) -> S3MultipartUploader {
        S3MultipartUploader(client: self, key: key, ifNoneMatch: ifNoneMatch, concurrency: concurrency)
    }
}
