import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import S3Client

/// Settings for an `s3://` repository beyond the bucket and prefix.
public struct S3Settings: Sendable {
    public var endpoint: String?
    public var region: String?
    /// nil: path style with a custom endpoint, virtual host on AWS.
    public var pathStyle: Bool?
    public var storageClass: String?

    /// Creates settings.
    public init(endpoint: String? = nil, region: String? = nil, pathStyle: Bool? = nil, storageClass: String? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.storageClass = storageClass
    }
}

/// A repository in an S3-compatible bucket under a prefix. Large objects go up as multipart uploads
/// (retried part by part); objects that must not be replaced are created with `If-None-Match: *`.
public struct S3Storage: RepositoryStorage {
    let client: S3Client
    let prefix: String
    let bucket: String
    let endpoint: String
    public var location: String { "s3://\(bucket)\(prefix.isEmpty ? "" : "/" + prefix) at \(endpoint)" }

    /// Creates the backend; credentials come from the environment (AWS_ACCESS_KEY_ID …).
    public init(bucket: String, prefix: String, settings: S3Settings, environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger) throws {
        let credentials: S3Credentials
        do {
            credentials = try S3Credentials.fromEnvironment(environment)
        } catch {
            throw LifeboatError(.invalidInput, "\(error)", hint: "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)")
        }
        var endpointURL: URL?
        if let text = settings.endpoint {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw LifeboatError(.invalidInput, "S3 endpoint \"\(text)\" is not an http(s) URL", hint: "write e.g. https://minio.example:9000")
            }
            endpointURL = url
        }
        let configuration = S3Configuration(
            bucket: bucket, region: settings.region ?? "us-east-1", endpoint: endpointURL,
            addressingStyle: settings.pathStyle.map { $0 ? .path : .virtualHost }, storageClass: settings.storageClass,
            credentials: credentials)
        self.client = S3Client(configuration: configuration, httpClient: Self.httpClient, logger: logger)
        self.prefix = prefix
        self.bucket = bucket
        self.endpoint = configuration.endpointDescription
    }

    /// One client for the process, with S3-suited settings: a refused connection fails in seconds (then the S3
    /// client's own retries apply) instead of being retried silently until the request deadline. It lives as long
    /// as the process, so it is never shut down.
    static let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: S3Client.recommendedHTTPClientConfiguration())

    private func key(_ path: String) -> String { prefix.isEmpty ? path : prefix + "/" + path }
    private func path(_ key: String) -> String { prefix.isEmpty ? key : String(key.dropFirst(prefix.count + 1)) }

    public func makeWriter(path: String, createOnly: Bool) async throws -> any ObjectWriter {
        S3ObjectWriter(uploader: client.makeUploader(key: key(path), ifNoneMatch: createOnly), path: path, location: location)
    }

    public func read(path: String, consume: @Sendable ([UInt8]) async throws -> Void) async throws {
        _ = try await translating(path) {
            try await client.getObject(key: key(path)) { buffer in try await consume(Array(buffer.readableBytesView)) }
        }
    }

    public func readAll(path: String) async throws -> [UInt8] {
        try await translating(path) { try await client.getObject(key: key(path)) }
    }

    public func head(path: String) async throws -> StoredObject? {
        try await translating(path) {
            try await client.headObject(key: key(path)).map { StoredObject(path: path, size: $0.size, modified: $0.lastModified ?? Date()) }
        }
    }

    public func list(prefix listPrefix: String) async throws -> [StoredObject] {
        try await translating(listPrefix) {
            try await client.listObjects(prefix: key(listPrefix)).objects.map {
                StoredObject(path: path($0.key), size: $0.size, modified: $0.lastModified ?? Date())
            }
        }
    }

    public func delete(paths: [String]) async throws {
        guard let first = paths.first else { return }
        try await translating(first) { try await client.deleteObjects(keys: paths.map(key)) }
    }

    public func incompleteUploads(prefix listPrefix: String) async throws -> [IncompleteUpload] {
        try await translating(listPrefix) {
            try await client.listMultipartUploads(prefix: key(listPrefix)).map {
                IncompleteUpload(path: path($0.key), handle: $0.uploadId, started: $0.initiated ?? .distantPast)
            }
        }
    }

    public func abort(_ upload: IncompleteUpload) async throws {
        try await translating(upload.path) { try await client.abortMultipartUpload(key: key(upload.path), uploadId: upload.handle) }
    }

    /// Runs an S3 call, turning its errors into Lifeboat's (naming `path`).
    private func translating<T>(_ path: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw S3ErrorTranslation.translate(error, path: path, location: location)
        }
    }

}

/// Maps S3 errors onto Lifeboat's codes, keeping the S3 client's actionable message.
enum S3ErrorTranslation {
    static func translate(_ error: S3Error, path: String, location: String) -> LifeboatError {
        if error.isPreconditionFailed { return StorageErrors.alreadyExists(path, in: location) }
        if error.code.rawValue == "NoSuchKey" { return StorageErrors.notFound(path, in: location) }
        return LifeboatError(.repository, error.description, cause: error)
    }
}

/// One streamed upload into S3.
final class S3ObjectWriter: ObjectWriter, @unchecked Sendable {
    private let uploader: S3MultipartUploader
    private let path: String
    private let location: String

    init(uploader: S3MultipartUploader, path: String, location: String) {
        self.uploader = uploader
        self.path = path
        self.location = location
    }

    func write(_ bytes: [UInt8]) async throws {
        try await translating { try await uploader.write(bytes) }
    }

    func finish() async throws {
        try await translating { _ = try await uploader.finish() }
    }

    private func translating(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as S3Error {
            throw S3ErrorTranslation.translate(error, path: path, location: location)
        }
    }

    func abort() async {
        await uploader.abort()
    }
}
