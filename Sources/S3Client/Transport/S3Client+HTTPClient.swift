import AsyncHTTPClient
import NIOCore

extension S3Client {
    /// An `HTTPClient` configuration suited to S3, for callers that own their client (and shut it down).
    ///
    /// `HTTPClient.shared` works, but its browser-like settings suit S3 less well:
    /// - redirects are not followed: a signed request must not be replayed to another host;
    /// - responses are not decompressed: objects are checksummed as stored;
    /// - a refused or failed connection fails the attempt at once instead of being retried by the
    ///   pool until the request's deadline, so an unreachable endpoint is reported in seconds; the
    ///   client's own ``S3RetryPolicy`` still retries it, with backoff and a logged warning;
    /// - the read timeout detects a download that stalls without closing the connection.
    public static func recommendedHTTPClientConfiguration(
        connectTimeout: Duration = .seconds(10), readTimeout: Duration = .seconds(120)
    ) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: TimeAmount(connectTimeout), read: TimeAmount(readTimeout))
        configuration.connectionPool.retryConnectionEstablishment = false
        return configuration
    }
}
