import Foundation

/// What Lifeboat reads from PostgreSQL's own `backup_manifest` (JSON, written by pg_basebackup): the WAL range the
/// backup needs, which gives the exact stop LSN, and the number of files it lists.
public struct PostgresBackupManifest: Sendable, Hashable {
    /// One `WAL-Ranges` entry.
    public struct WALRange: Sendable, Hashable {
        /// The timeline.
        public var timeline: UInt32
        /// First LSN needed.
        public var start: LSN
        /// Last LSN needed: the backup's stop LSN.
        public var end: LSN
    }

    /// The manifest's WAL ranges (one per timeline the backup spans; one for a backup of a primary).
    public var walRanges: [WALRange]
    /// Files listed.
    public var files: Int

    /// Parses the manifest's bytes; `what` names it in errors.
    public init(bytes: [UInt8], what: String) throws {
        struct Raw: Decodable {
            struct Range: Decodable {
                var Timeline: UInt32
                var StartLSN: String
                var EndLSN: String
                enum CodingKeys: String, CodingKey {
                    case Timeline
                    case StartLSN = "Start-LSN"
                    case EndLSN = "End-LSN"
                }
            }
            struct File: Decodable {}
            var ranges: [Range]
            var files: [File]
            enum CodingKeys: String, CodingKey {
                case ranges = "WAL-Ranges"
                case files = "Files"
            }
        }
        let raw: Raw
        do {
            raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
        } catch {
            throw LifeboatError(.integrity, "\(what) is not a readable PostgreSQL backup manifest: \(error)")
        }
        walRanges = try raw.ranges.map { range in
            guard let start = LSN(range.StartLSN), let end = LSN(range.EndLSN) else {
                throw LifeboatError(.integrity, "\(what) has a WAL range with an unreadable LSN (\(range.StartLSN)–\(range.EndLSN))")
            }
            return WALRange(timeline: range.Timeline, start: start, end: end)
        }
        files = raw.files.count
    }
}
