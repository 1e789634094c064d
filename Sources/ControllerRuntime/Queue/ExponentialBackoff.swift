/// Per-failure exponential backoff: `base × 2^(failures − 1)`, capped at `cap`.
///
/// With the work queue's defaults (5 ms, cap 1000 s) the delays are 5 ms, 10 ms, 20 ms, … as in
/// client-go's item exponential rate limiter.
public struct ExponentialBackoff: Sendable, Hashable {
    /// The delay after the first failure.
    public var base: Duration
    /// The largest delay.
    public var cap: Duration

    /// Creates a backoff; `cap` is raised to `base` when smaller.
    public init(base: Duration, cap: Duration) {
        self.base = base
        self.cap = max(base, cap)
    }

    /// The delay after `failures` consecutive failures (`failures ≤ 0` gives zero).
    public func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        // 2^62 overflows Duration arithmetic long before any realistic cap; stop doubling at the cap.
        var delay = base
        var remaining = failures - 1
        while remaining > 0, delay < cap {
            delay = delay * 2
            remaining -= 1
        }
        return min(delay, cap)
    }
}
