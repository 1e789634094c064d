import Crypto
import Foundation
import LifeboatTesting
import Logging
import NIOCore
import S3Client
import Testing

/// The client against a real `moto_server`: each test uses its own bucket on the suite's server.
@Suite("S3 client against moto_server", .serialized, .sharedMotoServer,
       .enabled(if: MotoServer.isAvailable, "moto_server is not installed (pip install 'moto[server]')"))
struct MotoIntegrationTests {
    static func client(
        _ server: MotoServer, bucket: String, partSize: Int = S3Configuration.minimumPartSize,
        storageClass: String? = nil, logger: Logger = Logger(label: "s3-test")
    ) throws -> S3Client {
        try server.createBucket(bucket)
        let configuration = S3Configuration(
            bucket: bucket, endpoint: server.endpoint, storageClass: storageClass,
            credentials: S3Credentials(accessKeyId: MotoServer.accessKeyId, secretAccessKey: MotoServer.secretAccessKey),
            retryPolicy: S3RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10)), partSize: partSize)
        return S3Client(configuration: configuration, logger: logger)
    }

    static func server() throws -> MotoServer { try #require(MotoServerScope.current) }

    /// Deterministic pseudo-random bytes (xorshift), so content checks cannot pass by accident.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        var result = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            result[index] = UInt8(truncatingIfNeeded: state)
        }
        return result
    }

    @Test("given a bucket, when an object with spaces and unicode in its key is put, then get, head, list and delete see it")
    func objectRoundTrip() async throws {
        let client = try Self.client(Self.server(), bucket: "round-trip")
        let key = "backups/2026 11/manifest ü €+&.json"
        let content = Self.bytes(count: 3000, seed: 1)
        let etag = try await client.putObject(key: key, bytes: content)
        #expect(try await client.getObject(key: key) == content)
        let info = try #require(try await client.headObject(key: key))
        #expect(info.size == 3000)
        #expect(info.etag == etag)
        #expect(info.lastModified != nil)
        let listing = try await client.listObjects(prefix: "backups/")
        #expect(listing.objects.map(\.key) == [key])
        #expect(listing.objects.first?.size == 3000)
        try await client.deleteObject(key: key)
        #expect(try await client.headObject(key: key) == nil)
        let error = try await #require(throws: S3Error.self) { try await client.getObject(key: key) }
        #expect(error.isNotFound)
        #expect(error.code == .noSuchKey)
        #expect(!error.isRetryable)
    }

    @Test("given an object larger than the in-memory limit, when read whole, then the error says to stream it and is not retried")
    func wholeReadIsBounded() async throws {
        let client = try Self.client(Self.server(), bucket: "bounded-read")
        try await client.putObject(key: "large", bytes: Self.bytes(count: 4096, seed: 2))
        let error = try await #require(throws: S3Error.self) { try await client.getObject(key: "large", limit: 1024) }
        #expect(error.code == .invalidResponse)
        #expect(error.attempts == 1)
        #expect(error.description.contains("larger than 1024 bytes; stream it with getObject(key:consume:)"))
    }

    @Test("given 28 keys, when listed 4 per page, then every page is followed and prefixes are grouped")
    func listingFollowsContinuationTokens() async throws {
        let server = try Self.server()
        let client = try Self.client(server, bucket: "paging")
        var expected: [String] = []
        for index in 0..<25 { expected.append(String(format: "p/key-%03d", index)) }
        for index in 0..<3 { expected.append("p/sub/deep-\(index)") }
        for key in expected + ["q/outside"] { try await client.putObject(key: key, bytes: Array(key.utf8)) }
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 0) { proxy in
            var configuration = client.configuration
            configuration.endpoint = proxy.endpoint
            let proxied = S3Client(configuration: configuration, logger: client.logger)
            let all = try await proxied.listObjects(prefix: "p/", maxKeys: 4)
            #expect(all.objects.map(\.key) == expected.sorted())
            #expect(try proxy.statistics().forwarded == 7)  // 28 keys, 4 per page
            let grouped = try await proxied.listObjects(prefix: "p/", delimiter: "/", maxKeys: 4)
            #expect(grouped.objects.count == 25)
            #expect(grouped.commonPrefixes == ["p/sub/"])
        }
    }

    @Test("given five objects, when three and a missing key are batch-deleted, then two remain")
    func batchDelete() async throws {
        let client = try Self.client(Self.server(), bucket: "batch-delete")
        for index in 0..<5 { try await client.putObject(key: "d/\(index) & <x>", bytes: [UInt8(index)]) }
        try await client.deleteObjects(keys: ["d/0 & <x>", "d/2 & <x>", "d/4 & <x>", "d/never-existed"])
        #expect(try await client.listObjects(prefix: "d/").objects.map(\.key) == ["d/1 & <x>", "d/3 & <x>"])
    }

    @Test("given 12 MiB written in odd chunks with 5 MiB parts, when finished, then a 3-part object streams back with the same SHA-256")
    func multipartUploadAndStreamingDownload() async throws {
        let client = try Self.client(Self.server(), bucket: "multipart")
        let content = Self.bytes(count: 12 * 1024 * 1024 + 12345, seed: 7)
        let uploader = client.makeUploader(key: "base/data.tar.zst", ifNoneMatch: true)
        var offset = 0
        while offset < content.count {
            let end = min(offset + 1_048_583, content.count)
            try await uploader.write(content[offset..<end])
            offset = end
        }
        let result = try await uploader.finish()
        #expect(result.partCount == 3)
        #expect(result.size == Int64(content.count))
        #expect(result.etag?.hasSuffix("-3") == true)
        #expect(try await client.headObject(key: "base/data.tar.zst")?.size == Int64(content.count))
        var hasher = SHA256()
        var chunks = 0
        let info = try await client.getObject(key: "base/data.tar.zst") { chunk in
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            chunks += 1
        }
        #expect(info.size == Int64(content.count))
        #expect(chunks > 1)
        #expect(Array(hasher.finalize()) == Array(SHA256.hash(data: content)))
        #expect(try await client.listMultipartUploads(prefix: "").isEmpty)
    }

    @Test("given 12 MiB written inside withUploader, when the body returns, then parts uploaded in the background form the object")
    func pipelinedUpload() async throws {
        let client = try Self.client(Self.server(), bucket: "pipelined")
        let content = Self.bytes(count: 12 * 1024 * 1024 + 999, seed: 17)
        let result = try await client.withUploader(key: "dump.zst", ifNoneMatch: true) { uploader in
            var offset = 0
            while offset < content.count {
                let end = min(offset + 700_001, content.count)
                try await uploader.write(content[offset..<end])
                offset = end
            }
        }
        #expect(result.partCount == 3)
        #expect(result.size == Int64(content.count))
        var hasher = SHA256()
        try await client.getObject(key: "dump.zst") { chunk in
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        #expect(Array(hasher.finalize()) == Array(SHA256.hash(data: content)))
        #expect(try await client.listMultipartUploads(prefix: "").isEmpty)
    }

    @Test("given a producer that fails after two parts inside withUploader, when it throws, then its error is rethrown and the upload aborted")
    func pipelinedUploadAbortsOnProducerFailure() async throws {
        struct DumpFailed: Error {}
        let client = try Self.client(Self.server(), bucket: "pipelined-abort")
        await #expect(throws: DumpFailed.self) {
            _ = try await client.withUploader(key: "broken.zst", ifNoneMatch: true) { uploader in
                try await uploader.write(Self.bytes(count: 11 * 1024 * 1024, seed: 19))
                #expect(await uploader.currentUploadId != nil)  // the multipart upload had started
                throw DumpFailed()
            }
        }
        #expect(try await client.listMultipartUploads(prefix: "").isEmpty)
        #expect(try await client.headObject(key: "broken.zst") == nil)
    }

    @Test("given part 2 failing twice with 503, when uploading inside withUploader, then only that part is retried and the object is whole")
    func pipelinedUploadRetriesOnePart() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "part-retry")
        let content = Self.bytes(count: 11 * 1024 * 1024, seed: 23)
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 2, failMatching: "partNumber=2") { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            let result = try await client.withUploader(key: "retried.zst", ifNoneMatch: false) { try await $0.write(content) }
            #expect(result.partCount == 3)
            #expect(try proxy.statistics().failed == 2)
        }
        #expect(try await direct.getObject(key: "retried.zst") == content)
    }

    @Test("given part 2 failing for good, when uploading inside withUploader, then the part's error is rethrown and the upload aborted")
    func pipelinedUploadAbortsOnPartFailure() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "part-failure")
        try await withS3FaultProxy(
            upstreamPort: server.port, failFirst: 100, failMatching: "partNumber=2", status: 500, code: "InternalError"
        ) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            let error = try await #require(throws: S3Error.self) {
                try await client.withUploader(key: "doomed.zst", ifNoneMatch: false) { uploader in
                    for seed in 0..<6 { try await uploader.write(Self.bytes(count: 3 * 1024 * 1024, seed: UInt64(seed))) }
                }
            }
            #expect(error.code == .internalError)
            #expect(error.operation == "UploadPart")
            #expect(error.attempts == 3)
        }
        #expect(try await direct.listMultipartUploads(prefix: "").isEmpty)
        #expect(try await direct.headObject(key: "doomed.zst") == nil)
    }

    @Test("given a small object through the uploader, when finished, then it is one PutObject")
    func smallUploadIsSinglePut() async throws {
        let client = try Self.client(Self.server(), bucket: "small-upload")
        let uploader = client.makeUploader(key: "manifest.json", ifNoneMatch: true)
        try await uploader.write(Array("{\"v\":1}".utf8))
        let result = try await uploader.finish()
        #expect(result.partCount == 0)
        #expect(try await client.getObject(key: "manifest.json") == Array("{\"v\":1}".utf8))
    }

    @Test("given an existing key, when put again with If-None-Match, then it is refused and the object is unchanged")
    func conditionalPutRefusesExistingKey() async throws {
        let client = try Self.client(Self.server(), bucket: "conditional-put")
        try await client.putObject(key: "wal/000000010000000000000001", bytes: [1, 2, 3], ifNoneMatch: true)
        let error = try await #require(throws: S3Error.self) {
            try await client.putObject(key: "wal/000000010000000000000001", bytes: [9], ifNoneMatch: true)
        }
        #expect(error.isPreconditionFailed)
        #expect(!error.isRetryable)
        #expect(error.attempts == 1)
        #expect(error.description.hasPrefix(
            "S3 object \"wal/000000010000000000000001\" in bucket \"conditional-put\" already exists (PreconditionFailed)"))
        #expect(try await client.getObject(key: "wal/000000010000000000000001") == [1, 2, 3])
    }

    @Test("given a multipart upload under way, when another writer creates the key first, then complete is refused and the upload aborted")
    func conditionalCompleteRefusesKeyCreatedMeanwhile() async throws {
        let client = try Self.client(Self.server(), bucket: "conditional-complete")
        let uploader = client.makeUploader(key: "backup/dump", ifNoneMatch: true, concurrency: 1)
        try await uploader.write(Self.bytes(count: 6 * 1024 * 1024, seed: 3))
        #expect(await uploader.currentUploadId != nil)
        try await client.putObject(key: "backup/dump", bytes: [42])
        let error = try await #require(throws: S3Error.self) { try await uploader.finish() }
        #expect(error.isPreconditionFailed)
        #expect(error.operation == "CompleteMultipartUpload")
        #expect(try await client.getObject(key: "backup/dump") == [42])
        #expect(try await client.listMultipartUploads(prefix: "backup/").isEmpty)
    }

    @Test("given an existing key, when a large conditional upload starts, then it fails before the first part")
    func conditionalUploadFailsEarly() async throws {
        let client = try Self.client(Self.server(), bucket: "conditional-early")
        try await client.putObject(key: "k", bytes: [1])
        let uploader = client.makeUploader(key: "k", ifNoneMatch: true, concurrency: 1)
        let error = try await #require(throws: S3Error.self) {
            try await uploader.write(Self.bytes(count: 5 * 1024 * 1024, seed: 5))
        }
        #expect(error.isPreconditionFailed)
        #expect(try await client.listMultipartUploads(prefix: "").isEmpty)
    }

    @Test("given started multipart uploads, when listed and aborted, then they disappear")
    func listAndAbortMultipartUploads() async throws {
        let client = try Self.client(Self.server(), bucket: "abort")
        let first = client.makeUploader(key: "a/one", ifNoneMatch: false, concurrency: 1)
        let second = client.makeUploader(key: "a/two", ifNoneMatch: false, concurrency: 1)
        try await first.write(Self.bytes(count: 5 * 1024 * 1024, seed: 11))
        try await second.write(Self.bytes(count: 5 * 1024 * 1024, seed: 12))
        let uploads = try await client.listMultipartUploads(prefix: "a/")
        #expect(Set(uploads.map(\.key)) == ["a/one", "a/two"])
        #expect(uploads.allSatisfy { $0.initiated != nil })
        let firstId = await first.currentUploadId
        #expect(uploads.contains { $0.uploadId == firstId })
        let stale = try #require(uploads.first { $0.key == "a/two" })
        try await client.abortMultipartUpload(key: stale.key, uploadId: stale.uploadId)
        await first.abort()
        #expect(try await client.listMultipartUploads(prefix: "a/").isEmpty)
        #expect(try await client.listObjects(prefix: "a/").objects.isEmpty)
    }

    @Test("given a missing bucket, when listing, then the message names the bucket, the endpoint and the fix")
    func missingBucketMessage() async throws {
        let server = try Self.server()
        let configuration = S3Configuration(
            bucket: "no-such-bucket", endpoint: server.endpoint,
            credentials: S3Credentials(accessKeyId: MotoServer.accessKeyId, secretAccessKey: MotoServer.secretAccessKey))
        let client = S3Client(configuration: configuration, logger: Logger(label: "s3-test"))
        let error = try await #require(throws: S3Error.self) { try await client.listObjects(prefix: "") }
        #expect(error.code == .noSuchBucket)
        #expect(error.description.hasPrefix(
            "S3 bucket \"no-such-bucket\" does not exist at endpoint http://127.0.0.1:\(server.port) (NoSuchBucket): create it or fix --repo"))
    }

    @Test("given a storage class, when putting, then S3 stores the object in it")
    func storageClassIsSent() async throws {
        let client = try Self.client(Self.server(), bucket: "storage-class", storageClass: "STANDARD_IA")
        try await client.putObject(key: "cold", bytes: [1, 2])
        #expect(try await client.headObject(key: "cold")?.storageClass == "STANDARD_IA")
    }

    @Test("given a proxy that answers 503 SlowDown twice, when putting, then the client retries, succeeds and logs each retry")
    func retriesSlowDown() async throws {
        let server = try Self.server()
        let (logger, capture) = S3TestSupport.capturingLogger()
        let direct = try Self.client(server, bucket: "retries", logger: logger)
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 2) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: logger)
            try await client.putObject(key: "retried", bytes: [7, 7, 7])
            let statistics = try proxy.statistics()
            #expect(statistics.failed == 2)
            #expect(statistics.forwarded == 1)
        }
        #expect(try await direct.getObject(key: "retried") == [7, 7, 7])
        let retries = capture.lines.filter { $0.contains("retrying") }
        #expect(retries.count == 2)
        #expect(retries.allSatisfy { $0.hasPrefix("warning") && $0.contains("s3.error_code=SlowDown") })
        #expect(!capture.lines.joined().contains(MotoServer.secretAccessKey))
        #expect(!capture.lines.joined().contains("Signature="))
    }

    @Test("given a proxy that answers 503 more often than the attempts allow, when putting, then the error says how many attempts")
    func retriesAreBounded() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "bounded")
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 10) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            let error = try await #require(throws: S3Error.self) { try await client.putObject(key: "k", bytes: [1]) }
            #expect(error.code == .slowDown)
            #expect(error.attempts == 3)
            #expect(error.description.contains("(after 3 attempts)"))
            #expect(try proxy.statistics().requests == 3)
        }
    }

    @Test("given a server that does not answer in time, when putting, then the attempt times out and the retry succeeds")
    func retriesTimeouts() async throws {
        let server = try Self.server()
        let (logger, capture) = S3TestSupport.capturingLogger()
        let direct = try Self.client(server, bucket: "timeouts", logger: logger)
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 0, stallFirst: 1, stallSeconds: 2) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            configuration.requestTimeout = .milliseconds(500)
            let client = S3Client(configuration: configuration, logger: logger)
            try await client.putObject(key: "slow", bytes: [5])
            #expect(try proxy.statistics().stalled == 1)
        }
        #expect(try await direct.getObject(key: "slow") == [5])
        #expect(capture.lines.contains { $0.contains("retrying") && $0.contains("s3.error_code=TimedOut") })
    }

    @Test("given 2500 keys, when batch-deleted, then three DeleteObjects requests of at most 1000 keys are sent")
    func batchDeleteIsChunked() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "batch-chunks")
        let keys = (0..<2500).map { "chunk/\($0)" }
        for key in [keys[0], keys[1500], keys[2499]] { try await direct.putObject(key: key, bytes: [1]) }
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 0) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            try await client.deleteObjects(keys: keys)
            #expect(try proxy.statistics().forwarded == 3)
        }
        #expect(try await direct.listObjects(prefix: "chunk/").objects.isEmpty)
    }

    @Test("given a proxy that answers 403 AccessDenied, when putting, then the client does not retry")
    func accessDeniedIsNotRetried() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "denied")
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 5, status: 403, code: "AccessDenied") { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            let error = try await #require(throws: S3Error.self) { try await client.putObject(key: "k", bytes: [1]) }
            #expect(error.code == .accessDenied)
            #expect(error.httpStatus == 403)
            #expect(error.attempts == 1)
            #expect(error.requestId == "fault-1")
            #expect(try proxy.statistics().requests == 1)
        }
    }

    @Test("given a download cut in the middle, when streaming, then the client resumes with a Range request and the bytes are whole")
    func streamingDownloadResumes() async throws {
        let server = try Self.server()
        let direct = try Self.client(server, bucket: "resume")
        let content = Self.bytes(count: 3 * 1024 * 1024, seed: 21)
        try await direct.putObject(key: "big", bytes: content)
        try await withS3FaultProxy(upstreamPort: server.port, failFirst: 0, truncateFirstDownload: true) { proxy in
            var configuration = direct.configuration
            configuration.endpoint = proxy.endpoint
            let client = S3Client(configuration: configuration, logger: direct.logger)
            var received: [UInt8] = []
            try await client.getObject(key: "big") { received += $0.readableBytesView }
            #expect(received == content)
            let ranges = try proxy.statistics().ranges
            // Resumed where the consumer stopped receiving: somewhere in the first half.
            let resumedAt = try #require(ranges.count == 1 ? ranges.first : nil)
            let offset = try #require(Int(resumedAt.dropFirst("bytes=".count).dropLast()))
            #expect(resumedAt == "bytes=\(offset)-")
            #expect(offset > 0 && offset <= content.count / 2)
        }
    }
}
