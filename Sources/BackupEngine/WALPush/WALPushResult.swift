import Foundation

/// What `wal-push` did with one WAL file.
public struct WALPushResult: Sendable, Hashable {
    /// How the file came to be archived.
    public enum Outcome: Sendable, Hashable {
        /// Stored now (durable); `storedBytes` as written to the repository.
        case stored(storedBytes: Int)
        /// The same content was in the repository already.
        case alreadyArchived
        /// An earlier look-ahead stored it and left an acknowledgement that matches this file.
        case acknowledged
    }

    /// The WAL file.
    public var name: WALFileName
    /// What happened.
    public var outcome: Outcome
    /// The file's size.
    public var bytes: Int
    /// Wall time spent on it.
    public var seconds: Double

    /// Creates a result.
    public init(name: WALFileName, outcome: Outcome, bytes: Int, seconds: Double) {
        self.name = name
        self.outcome = outcome
        self.bytes = bytes
        self.seconds = seconds
    }
}

/// What one `wal-push` run did: the file PostgreSQL asked for, and the look-ahead.
public struct WALPushReport: Sendable {
    /// The file PostgreSQL asked for; it is durable in the repository.
    public var requested: WALPushResult
    /// Ready files pushed ahead of PostgreSQL's request, each acknowledged in the spool.
    public var lookahead: [WALPushResult]
    /// Look-ahead files that could not be pushed (PostgreSQL will ask for them again), with the reason.
    public var lookaheadFailures: [String: String]

    /// Creates a report.
    public init(requested: WALPushResult, lookahead: [WALPushResult] = [], lookaheadFailures: [String: String] = [:]) {
        self.requested = requested
        self.lookahead = lookahead
        self.lookaheadFailures = lookaheadFailures
    }
}
