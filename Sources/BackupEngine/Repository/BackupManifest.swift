import Foundation

/// The record that makes a backup exist. Written last, created only if absent, never modified.
/// Every field is documented in docs/FORMAT.md.
public struct BackupManifest: Codable, Sendable, Hashable {
    /// The manifest format this build writes; readers refuse newer majors.
    public static let currentFormatVersion = 1

    /// What kind of backup this is.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case logical
        case base
    }

    /// One stored object of the backup.
    public struct Object: Codable, Sendable, Hashable {
        /// Path relative to the backup's folder.
        public var name: String
        /// `dump` (a pg_dump archive), `globals` (pg_dumpall --globals-only SQL), `dump-file` (one file of a directory-format dump).
        public var role: String
        /// The database this object belongs to, if any.
        public var database: String?
        /// For `dump-file`: the file's name inside pg_dump's directory.
        public var fileName: String?
        /// Bytes before compression and encryption.
        public var plainBytes: Int64
        /// Bytes as stored.
        public var storedBytes: Int64
        /// SHA-256 (hex) of the stored bytes.
        public var sha256: String

        /// Creates an entry.
        public init(name: String, role: String, database: String? = nil, fileName: String? = nil, plainBytes: Int64, storedBytes: Int64, sha256: String) {
            self.name = name
            self.role = role
            self.database = database
            self.fileName = fileName
            self.plainBytes = plainBytes
            self.storedBytes = storedBytes
            self.sha256 = sha256
        }
    }

    /// One database in a logical backup.
    public struct Database: Codable, Sendable, Hashable {
        public var name: String
        /// `custom` (one streamed archive) or `directory` (one object per file of pg_dump's directory).
        public var format: String
        /// Rows per table (`schema.table`), counted in the snapshot the dump used; nil for schema-only dumps.
        public var rowCounts: [String: Int64]?
        /// The exported snapshot the dump and the counts shared.
        public var snapshot: String?

        /// Creates an entry.
        public init(name: String, format: String, rowCounts: [String: Int64]?, snapshot: String?) {
            self.name = name
            self.format = format
            self.rowCounts = rowCounts
            self.snapshot = snapshot
        }
    }

    /// Selection options the dump was taken with.
    public struct Options: Codable, Sendable, Hashable {
        public var schemaOnly: Bool
        public var includeSchemas: [String]
        public var excludeSchemas: [String]
        public var includeTables: [String]
        public var excludeTables: [String]
        public var globals: Bool

        /// Creates options.
        public init(schemaOnly: Bool = false, includeSchemas: [String] = [], excludeSchemas: [String] = [], includeTables: [String] = [], excludeTables: [String] = [], globals: Bool = true) {
            self.schemaOnly = schemaOnly
            self.includeSchemas = includeSchemas
            self.excludeSchemas = excludeSchemas
            self.includeTables = includeTables
            self.excludeTables = excludeTables
            self.globals = globals
        }
    }

    /// What a physical base backup covers; nil for logical backups.
    public struct Physical: Codable, Sendable, Hashable {
        /// The cluster's `system_identifier` (decimal).
        public var systemIdentifier: String
        /// The timeline the backup started on.
        public var timeline: UInt32
        /// `pg_backup_start`'s LSN: recovery replays WAL from here.
        public var startLSN: LSN
        /// `pg_backup_stop`'s LSN: the backup is consistent once WAL up to here is replayed.
        public var stopLSN: LSN
        /// The WAL segment holding `startLSN` (the first one recovery needs).
        public var startWAL: String
        /// The WAL segment holding `stopLSN` (the last one needed for consistency).
        public var stopWAL: String
        /// `wal_segment_size` in bytes.
        public var walSegmentSize: UInt64
        /// Where compression ran: `client` (lifeboat) or `server` (pg_basebackup --compress=server-…).
        public var compressionSide: String
        /// Whether PostgreSQL's own `backup_manifest` is among the objects.
        public var postgresManifest: Bool

        /// Creates an entry.
        public init(systemIdentifier: String, timeline: UInt32, startLSN: LSN, stopLSN: LSN, startWAL: String, stopWAL: String,
                    walSegmentSize: UInt64, compressionSide: String, postgresManifest: Bool) {
            self.systemIdentifier = systemIdentifier
            self.timeline = timeline
            self.startLSN = startLSN
            self.stopLSN = stopLSN
            self.startWAL = startWAL
            self.stopWAL = stopWAL
            self.walSegmentSize = walSegmentSize
            self.compressionSide = compressionSide
            self.postgresManifest = postgresManifest
        }
    }

    public var formatVersion: Int
    public var id: String
    public var kind: Kind
    public var startedAt: Date
    public var finishedAt: Date
    /// PostgreSQL server version string, e.g. `15.18`.
    public var serverVersion: String
    /// `server_version_num`, e.g. 150018.
    public var serverVersionNumber: Int
    /// pg_dump's version line.
    public var toolVersion: String
    /// Lifeboat's version.
    public var lifeboatVersion: String
    public var databases: [Database]
    public var objects: [Object]
    /// `zstd`, `lz4`, `gzip` or `none`.
    public var compression: String
    public var compressionLevel: Int?
    /// The key id of the master key the data keys were wrapped with; nil when not encrypted.
    public var encryptionKeyId: String?
    public var options: Options
    /// Base backups: LSN range, timeline and cluster; nil for logical backups.
    public var physical: Physical?

    /// Total bytes before compression and encryption.
    public var plainBytes: Int64 { objects.reduce(0) { $0 + $1.plainBytes } }
    /// Total bytes stored.
    public var storedBytes: Int64 { objects.reduce(0) { $0 + $1.storedBytes } }
    /// Wall time of the backup.
    public var duration: TimeInterval { finishedAt.timeIntervalSince(startedAt) }

    /// Creates a manifest.
    public init(
        id: String, kind: Kind, startedAt: Date, finishedAt: Date, serverVersion: String, serverVersionNumber: Int,
        toolVersion: String, databases: [Database], objects: [Object], compression: String, compressionLevel: Int?,
        encryptionKeyId: String?, options: Options, physical: Physical? = nil
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.id = id
        self.kind = kind
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.serverVersion = serverVersion
        self.serverVersionNumber = serverVersionNumber
        self.toolVersion = toolVersion
        self.lifeboatVersion = LifeboatVersion.current
        self.databases = databases
        self.objects = objects
        self.compression = compression
        self.compressionLevel = compressionLevel
        self.encryptionKeyId = encryptionKeyId
        self.options = options
        self.physical = physical
    }

    /// Encodes as the stored JSON (sorted keys, ISO 8601 dates with fractions).
    public func encoded() throws -> [UInt8] {
        let encoder = Timestamps.jsonEncoder()
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// Decodes a stored manifest; `path` is named in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> BackupManifest {
        let decoder = Timestamps.jsonDecoder()
        do {
            let manifest = try decoder.decode(BackupManifest.self, from: Data(bytes))
            guard manifest.formatVersion <= currentFormatVersion else {
                throw LifeboatError(.repository, "\(path) has format version \(manifest.formatVersion), newer than this lifeboat understands (\(currentFormatVersion))", hint: "upgrade lifeboat to read this backup")
            }
            return manifest
        } catch let error as LifeboatError {
            throw error
        } catch {
            throw LifeboatError(.integrity, "\(path) is not a valid backup manifest: \(error)")
        }
    }
}

/// The version of this build.
public enum LifeboatVersion {
    public static let current = "0.1.0"
}

/// ISO 8601 timestamps with milliseconds, UTC.
public enum Timestamps {
    /// Formats `date` as `2026-11-21T10:15:00.123Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted))
    }

    /// The JSON encoder of stored records (manifests, status objects): pretty, sorted keys, times as `format(_:)`.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(format(date))
        }
        return encoder
    }

    /// The JSON decoder of stored records: times as `parse(_:)` reads them.
    public static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time: \(text)"))
            }
            return date
        }
        return decoder
    }

    /// Parses ISO 8601 with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true).timeSeparator(.colon).timeZone(separator: .omitted)) {
            return date
        }
        return try? Date(text, strategy: .iso8601)
    }
}
