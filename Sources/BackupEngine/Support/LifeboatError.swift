import Foundation

/// An error a person can act on: what went wrong, what to do, and the underlying cause.
///
/// Messages never contain credentials. The `code` decides the process exit status (see README "Exit codes").
public struct LifeboatError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The PostgreSQL server could not be reached or refused the login.
        public static let connection = Code(rawValue: "connection")
        /// A database named by the user does not exist.
        public static let databaseMissing = Code(rawValue: "database-missing")
        /// The repository could not be read or written.
        public static let repository = Code(rawValue: "repository")
        /// A backup id, object or file that was asked for does not exist.
        public static let notFound = Code(rawValue: "not-found")
        /// Stored bytes do not match their checksum or failed authentication.
        public static let integrity = Code(rawValue: "integrity")
        /// The encryption key is missing, malformed or not the one the data was written with.
        public static let encryptionKey = Code(rawValue: "encryption-key")
        /// A destructive action was asked for without the confirmation that names its target.
        public static let confirmationRequired = Code(rawValue: "confirmation-required")
        /// Invalid input: a flag, a setting or an environment variable.
        public static let invalidInput = Code(rawValue: "invalid-input")
        /// A local disk or a repository volume ran out of space.
        public static let diskFull = Code(rawValue: "disk-full")
        /// A PostgreSQL tool (pg_dump, pg_restore, …) failed or is missing.
        public static let tool = Code(rawValue: "tool")
        /// An object that is created only once exists already (a manifest, an archived WAL file).
        public static let alreadyExists = Code(rawValue: "already-exists")
        /// Two sources disagree: e.g. WAL or a backup from another cluster, or different content under one WAL name.
        public static let conflict = Code(rawValue: "conflict")
        /// A verification compared data and found a difference.
        public static let verificationFailed = Code(rawValue: "verification-failed")
    }

    public var code: Code
    /// What went wrong, in words a person can act on.
    public var message: String
    /// What to do about it, when there is something to say.
    public var hint: String?
    /// The underlying error, kept for logs.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, hint: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var description: String {
        hint.map { "\(message)\n  hint: \($0)" } ?? message
    }

    /// The exit status for this error (documented in the README).
    public var exitCode: Int32 {
        switch code {
        case .integrity, .verificationFailed: return 3
        case .notFound, .confirmationRequired, .invalidInput, .encryptionKey: return 2
        default: return 1
        }
    }
}
