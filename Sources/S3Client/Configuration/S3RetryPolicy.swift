/// How failed S3 requests are retried: bounded attempts, exponential backoff with full jitter.
///
/// Only failures that another attempt can fix are retried (see ``S3Error/isRetryable``):
/// 5xx, 429, `SlowDown`, `RequestTimeout`, throttling, timeouts and connection errors.
public struct S3RetryPolicy: Sendable, Hashable {
    /// The total number of attempts, the first included (1 means no retry).
    public var maxAttempts: Int
    /// The delay before the first retry; each later retry doubles it (before jitter).
    public var baseDelay: Duration
    /// The upper bound of a single delay.
    public var maxDelay: Duration

    /// Creates a policy; `maxAttempts` is clamped to at least 1.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The default policy: 5 attempts, 200 ms base delay, 10 s cap.
    public static let `default` = S3RetryPolicy()

    /// No retry at all.
    public static let none = S3RetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry): a random duration between zero
    /// and `min(maxDelay, baseDelay * 2^(retry-1))` ("full jitter", which spreads concurrent clients apart).
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        return ceiling * min(max(random, 0), 1)
    }
}
