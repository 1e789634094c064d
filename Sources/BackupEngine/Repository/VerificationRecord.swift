import Foundation

/// The outcome of the latest `lifeboat verify` of a backup, stored beside its manifest
/// (`verification.json`, replaced by each verify; the manifest itself never changes).
public struct VerificationRecord: Codable, Sendable, Hashable {
    /// `checksums` (objects and table of contents) or `restore` (a test restore with row counts).
    public var level: String
    public var ok: Bool
    public var verifiedAt: Date
    public var message: String

    /// Creates a record.
    public init(level: String, ok: Bool, verifiedAt: Date, message: String) {
        self.level = level
        self.ok = ok
        self.verifiedAt = verifiedAt
        self.message = message
    }

    /// A short state for `list`: `unverified`, `ok (restore)`, `FAILED (checksums)`.
    public static func state(_ record: VerificationRecord?) -> String {
        guard let record else { return "unverified" }
        return record.ok ? "ok (\(record.level))" : "FAILED (\(record.level))"
    }
}
