import Foundation

/// The PostgreSQL cluster a repository's physical backups and WAL belong to: its system identifier (chosen by
/// initdb, kept by every replica and by point-in-time recovery) and its major version. WAL of two clusters must never
/// be mixed: replaying another cluster's segments would corrupt the restored server.
public struct ClusterIdentity: Codable, Hashable, Sendable, CustomStringConvertible {
    /// `system_identifier` in decimal, e.g. `7301234567890123456`.
    public var systemIdentifier: String
    /// The major version, e.g. 15.
    public var majorVersion: Int
    /// `wal_segment_size` in bytes (16 MiB unless initdb was told otherwise).
    public var walSegmentSize: UInt64

    /// Creates an identity.
    public init(systemIdentifier: String, majorVersion: Int, walSegmentSize: UInt64 = WALFileName.defaultSegmentSize) {
        self.systemIdentifier = systemIdentifier
        self.majorVersion = majorVersion
        self.walSegmentSize = walSegmentSize
    }

    /// The repository folder of this cluster: `clusters/<system identifier>-pg<major>/`.
    public var folder: String { "\(Repository.clustersFolder)\(systemIdentifier)-pg\(majorVersion)/" }

    /// `system 7301234567890123456 (PostgreSQL 15)`, for messages.
    public var description: String { "system \(systemIdentifier) (PostgreSQL \(majorVersion))" }

    /// Asks a running server (any database connection).
    public static func query(_ connection: PGConnection) throws -> ClusterIdentity {
        let rows = try connection.query("""
            SELECT system_identifier::text, current_setting('server_version_num'), current_setting('wal_segment_size')
            FROM pg_control_system()
            """)
        guard let row = rows.first, row.count == 3, let id = row[0], let version = row[1].flatMap({ Int($0) }),
              let sizeText = row[2] else {
            throw LifeboatError(.connection, "the server did not report its system identifier and version")
        }
        return ClusterIdentity(systemIdentifier: id, majorVersion: version / 10000, walSegmentSize: try parseSize(sizeText))
    }

    /// Reads a data directory: the system identifier is the first 8 bytes of `global/pg_control` (native byte
    /// order), the major version is `PG_VERSION`. Used by `wal-push`, which runs inside the data directory.
    public static func read(dataDirectory: String) throws -> ClusterIdentity {
        let control = URL(fileURLWithPath: dataDirectory).appendingPathComponent("global/pg_control")
        let version = URL(fileURLWithPath: dataDirectory).appendingPathComponent("PG_VERSION")
        guard let controlData = try? Data(contentsOf: control), controlData.count >= 8,
              let versionText = try? String(contentsOf: version, encoding: .utf8),
              let major = Int(versionText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LifeboatError(.invalidInput, "\(dataDirectory) is not a PostgreSQL data directory (no readable global/pg_control and PG_VERSION)",
                                hint: "run from the data directory (archive_command does) or pass --pgdata")
        }
        let id = controlData.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return ClusterIdentity(systemIdentifier: String(id), majorVersion: major)
    }

    /// The system identifier in a WAL segment's first page header (`XLogLongPageHeaderData.xlp_sysid`, offset 8),
    /// or nil when the bytes do not start with a long page header.
    public static func systemIdentifier(segmentHeader bytes: [UInt8]) -> String? {
        guard bytes.count >= 32 else { return nil }
        let info = UInt16(bytes[2]) | UInt16(bytes[3]) << 8
        guard info & 0x0002 != 0 else { return nil } // XLP_LONG_HEADER
        let id = bytes[8..<16].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        return String(id)
    }

    /// The segment size in a WAL segment's first page header (`xlp_seg_size`, offset 16), or nil.
    public static func segmentSize(segmentHeader bytes: [UInt8]) -> UInt64? {
        guard bytes.count >= 32 else { return nil }
        let size = bytes[16..<20].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        return size == 0 ? nil : UInt64(size)
    }

    /// Parses `16MB`, `1GB`, `16777216`.
    static func parseSize(_ text: String) throws -> UInt64 {
        let units: [(String, UInt64)] = [("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let n = UInt64(text.dropLast(suffix.count)) { return n * factor }
        }
        if let n = UInt64(text) { return n }
        throw LifeboatError(.connection, "the server reported wal_segment_size \"\(text)\", which lifeboat cannot read")
    }
}
