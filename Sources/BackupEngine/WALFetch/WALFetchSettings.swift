/// How hard `wal-fetch` tries before it gives up, and how far it reads ahead.
public struct WALFetchSettings: Sendable, Hashable {
    /// Attempts per file, the first included (at least 1).
    public var attempts: Int
    /// The wait before the second attempt; doubled before each later one.
    public var initialBackoff: Duration
    /// The limit on the whole call, attempts and waits included: past it, the fetch fails (and recovery stops).
    public var timeout: Duration
    /// Segments of the same timeline fetched ahead into the queue (0: none).
    public var prefetch: Int
    /// The prefetch queue folder; nil: `pg_wal/lifeboat-fetch` in the data directory.
    public var queueDirectory: String?
    /// The repository configuration as given, recorded in queue entries for `lifeboat-wal` (nil: not recorded).
    public var origin: String?

    /// Creates settings.
    public init(attempts: Int = 3, initialBackoff: Duration = .seconds(1), timeout: Duration = .seconds(300), prefetch: Int = 0, queueDirectory: String? = nil,
                origin: String? = nil) {
        self.attempts = max(1, attempts)
        self.initialBackoff = initialBackoff
        self.timeout = timeout
        self.prefetch = max(0, prefetch)
        self.queueDirectory = queueDirectory
        self.origin = origin
    }
}
