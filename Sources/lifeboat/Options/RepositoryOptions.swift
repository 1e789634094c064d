import ArgumentParser
import BackupEngine
import Foundation
import Logging
import WALFastPath

/// Where the backups live.
struct RepositoryOptions: ParsableArguments {
    @Option(name: .customLong("repo"), help: ArgumentHelp("Repository: file:///path or s3://bucket/prefix (default: LIFEBOAT_REPO).", valueName: "url"))
    var repo: String?

    @Option(name: .customLong("s3-endpoint"), help: "S3-compatible endpoint URL, e.g. https://minio.example:9000 (default: LIFEBOAT_S3_ENDPOINT, else AWS).")
    var s3Endpoint: String?

    @Option(name: .customLong("s3-region"), help: "S3 region (default: LIFEBOAT_S3_REGION, AWS_REGION, else us-east-1).")
    var s3Region: String?

    @Flag(name: .customLong("s3-path-style"), inversion: .prefixedNo, help: "Address the bucket in the path (default with a custom endpoint) rather than as a virtual host (default on AWS).")
    var s3PathStyle: Bool?

    @Option(name: .customLong("s3-storage-class"), help: "Storage class for new objects, e.g. STANDARD_IA (default: LIFEBOAT_S3_STORAGE_CLASS, else the bucket's default).")
    var s3StorageClass: String?

    /// The repository URL from the flag or the environment.
    func url() throws -> String {
        guard let value = repo ?? ProcessInfo.processInfo.environment["LIFEBOAT_REPO"], !value.isEmpty else {
            throw LifeboatError(.invalidInput, "no repository given", hint: "pass --repo file:///path or --repo s3://bucket/prefix, or set LIFEBOAT_REPO")
        }
        return value
    }

    /// The repository configuration as given, in the words `lifeboat-wal` builds from the same command line and
    /// environment (it cannot open the repository to compare locations): recorded with WAL acknowledgements and queue
    /// entries, so a file written under another configuration is never trusted by the fast path.
    func origin() -> String {
        let env = ProcessInfo.processInfo.environment
        let repoValue = repo ?? env["LIFEBOAT_REPO"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoint = s3Endpoint ?? env["LIFEBOAT_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        let region = s3Region ?? env["LIFEBOAT_S3_REGION"] ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"]
        let pathStyle = s3PathStyle.map { $0 ? "true" : "false" } ?? env["LIFEBOAT_S3_PATH_STYLE"]
        return FastPathArguments.origin(repo: repoValue, endpoint: endpoint, region: region, pathStyle: pathStyle)
    }

    /// Opens the repository (S3 credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN).
    func open(logger: Logger) throws -> Repository {
        let env = ProcessInfo.processInfo.environment
        let settings = S3Settings(
            endpoint: s3Endpoint ?? env["LIFEBOAT_S3_ENDPOINT"],
            region: s3Region ?? env["LIFEBOAT_S3_REGION"] ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"],
            pathStyle: s3PathStyle ?? env["LIFEBOAT_S3_PATH_STYLE"].map { ["1", "true", "yes"].contains($0.lowercased()) },
            storageClass: s3StorageClass ?? env["LIFEBOAT_S3_STORAGE_CLASS"])
        return try RepositoryOpener.open(url: try url(), s3: settings, logger: logger)
    }
}
