import Foundation

/// A parsed `--repo` value: `file:///path` (or a plain absolute path) or `s3://bucket/prefix`.
public enum RepositoryLocation: Sendable, Hashable {
    case directory(String)
    case s3(bucket: String, prefix: String)

    /// Parses a repository URL, explaining what is accepted when it is malformed.
    public static func parse(_ text: String) throws -> RepositoryLocation {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("/") { return .directory(value) }
        if value.hasPrefix("file://") {
            let path = String(value.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw LifeboatError(.invalidInput, "repository \"\(text)\" must name an absolute path", hint: "write file:///absolute/path (three slashes)")
            }
            return .directory(path.removingPercentEncoding ?? path)
        }
        if value.hasPrefix("s3://") {
            let rest = value.dropFirst("s3://".count)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bucket = parts.first, !bucket.isEmpty else {
                throw LifeboatError(.invalidInput, "repository \"\(text)\" names no bucket", hint: "write s3://BUCKET/optional/prefix")
            }
            var prefix = parts.count > 1 ? String(parts[1]) : ""
            while prefix.hasSuffix("/") { prefix.removeLast() }
            return .s3(bucket: String(bucket), prefix: prefix)
        }
        throw LifeboatError(.invalidInput, "repository \"\(text)\" is neither file:///path nor s3://bucket/prefix", hint: "set --repo or LIFEBOAT_REPO, e.g. file:///var/backups/lifeboat or s3://my-bucket/prod-db")
    }
}
