import Foundation

/// Where and how the S3 client talks to a bucket.
public struct S3Configuration: Sendable {
    /// How the bucket appears in request URLs.
    public enum AddressingStyle: String, Sendable, Hashable, CaseIterable {
        /// `https://endpoint/bucket/key`: what MinIO, moto and most S3-compatible stores expect.
        case path
        /// `https://bucket.endpoint/key`: what AWS prefers.
        case virtualHost
    }

    /// The smallest part size S3 accepts for every part but the last.
    public static let minimumPartSize = 5 * 1024 * 1024
    /// The default part size of multipart uploads.
    public static let defaultPartSize = 16 * 1024 * 1024

    /// The bucket name.
    public var bucket: String
    /// The signing region (`us-east-1` by default).
    public var region: String
    /// The endpoint of an S3-compatible store (scheme, host, port); `nil` means AWS S3 in ``region``.
    public var endpoint: URL?
    /// Path style or virtual-host style addressing.
    public var addressingStyle: AddressingStyle
    /// The storage class sent as `x-amz-storage-class` on uploads (e.g. `STANDARD_IA`), if any.
    public var storageClass: String?
    /// The credentials that sign every request.
    public var credentials: S3Credentials
    /// How failed requests are retried.
    public var retryPolicy: S3RetryPolicy
    /// The deadline of one request carrying a bounded body (PUT, a part, a listing, HEAD …).
    public var requestTimeout: Duration
    /// The deadline of one streaming download (a whole multi-GB object).
    public var streamingTimeout: Duration
    /// The part size of multipart uploads; at least ``minimumPartSize``.
    public var partSize: Int

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - addressingStyle: defaults to path style when an `endpoint` is given, virtual host for AWS.
    ///   - partSize: raised to ``minimumPartSize`` when smaller.
    public init(
        bucket: String,
        region: String = "us-east-1",
        endpoint: URL? = nil,
        addressingStyle: AddressingStyle? = nil,
        storageClass: String? = nil,
        credentials: S3Credentials,
        retryPolicy: S3RetryPolicy = .default,
        requestTimeout: Duration = .seconds(60),
        streamingTimeout: Duration = .seconds(6 * 3600),
        partSize: Int = S3Configuration.defaultPartSize
    ) {
        self.bucket = bucket
        self.region = region
        self.endpoint = endpoint
        self.addressingStyle = addressingStyle ?? (endpoint == nil ? .virtualHost : .path)
        self.storageClass = storageClass
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.requestTimeout = requestTimeout
        self.streamingTimeout = streamingTimeout
        self.partSize = max(partSize, S3Configuration.minimumPartSize)
    }

    /// The endpoint as people should see it in messages: the configured one, or AWS's regional endpoint.
    public var endpointDescription: String {
        if let endpoint { return endpoint.absoluteString }
        return "https://s3.\(region).amazonaws.com"
    }
}
