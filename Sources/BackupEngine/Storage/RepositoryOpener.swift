import Foundation
import Logging

/// Opens a repository from its URL.
public enum RepositoryOpener {
    /// `file:///path` or `s3://bucket/prefix` (with `s3` settings and AWS_* credentials from the environment).
    public static func open(url: String, s3: S3Settings = S3Settings(), logger: Logger) throws -> Repository {
        switch try RepositoryLocation.parse(url) {
        case .directory(let path):
            return Repository(storage: try FileStorage(root: path))
        case .s3(let bucket, let prefix):
            _ = (bucket, prefix); throw LifeboatError(.invalidInput, "S3 pending merge")
        }
    }
}

/// Settings for an `s3://` repository beyond the bucket and prefix.
public struct S3Settings: Sendable {
    public var endpoint: String?
    public var region: String?
    public var pathStyle: Bool?
    public var storageClass: String?
    public init(endpoint: String? = nil, region: String? = nil, pathStyle: Bool? = nil, storageClass: String? = nil) {
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.storageClass = storageClass
    }
}
