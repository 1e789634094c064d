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
            return Repository(storage: try S3Storage(bucket: bucket, prefix: prefix, settings: s3, logger: logger))
        }
    }
}

