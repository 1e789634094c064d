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
    /// order), the major version is `PG_VERSION`, and the segment size is `xlog_seg_size` (found after the
    /// `floatFormat` sentinel; 16 MiB when the layout is not recognised). Used by `wal-push` and `wal-fetch`, which run
    /// inside the data directory.
    public static func read(dataDirectory: String) throws -> ClusterIdentity {
        let control = URL(fileURLWithPath: dataDirectory).appendingPathComponent("global/pg_control")
        let version = URL(fileURLWithPath: dataDirectory).appendingPathComponent("PG_VERSION")
        guard let controlData = try? Data(contentsOf: control), controlData.count >= 8,
              let versionText = try? String(contentsOf: version, encoding: .utf8),
              let major = Int(versionText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LifeboatError(.invalidInput, "\(dataDirectory) is not a PostgreSQL data directory (no readable global/pg_control and PG_VERSION)",
                                hint: "run from the data directory (archive_command does) or pass --pgdata")
        }
        let bytes = [UInt8](controlData)
        let id = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self) }
        return ClusterIdentity(systemIdentifier: String(id), majorVersion: major,
                               walSegmentSize: segmentSize(controlFile: bytes) ?? WALFileName.defaultSegmentSize)
    }

    /// `xlog_seg_size` from the bytes of `global/pg_control`, or nil when the layout is not recognised.
    ///
    /// `ControlFileData` keeps `double floatFormat = 1234567.0` followed by four `uint32`: `blcksz`, `relseg_size`,
    /// `xlog_blcksz`, `xlog_seg_size` (offset 208 in PostgreSQL 12–16). The sentinel is searched rather than assumed
    /// at a fixed offset, and the result must be a power of two between 1 MiB and 1 GiB, as initdb allows.
    public static func segmentSize(controlFile bytes: [UInt8]) -> UInt64? {
        var offset = 0
        while offset + 28 <= min(bytes.count, 1024) {
            let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Double.self) }
            if value == 1_234_567.0 {
                let size = UInt64(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 20, as: UInt32.self) })
                return isValidSegmentSize(size) ? size : nil
            }
            offset += 8
        }
        return nil
    }

    /// Whether `size` is a WAL segment size initdb accepts: a power of two from 1 MiB to 1 GiB.
    public static func isValidSegmentSize(_ size: UInt64) -> Bool {
        size >= 1 << 20 && size <= 1 << 30 && size & (size - 1) == 0
    }

    /// The system identifier in a WAL segment's first page header (`XLogLongPageHeaderData.xlp_sysid`, offset 24
    /// after the 24-byte standard header), or nil when the bytes do not start with a long page header.
    public static func systemIdentifier(segmentHeader bytes: [UInt8]) -> String? {
        guard isLongHeader(bytes) else { return nil }
        let id = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 24, as: UInt64.self) }
        return String(id)
    }

    /// The segment size in a WAL segment's first page header (`xlp_seg_size`, offset 32), or nil.
    public static func segmentSize(segmentHeader bytes: [UInt8]) -> UInt64? {
        guard isLongHeader(bytes) else { return nil }
        let size = UInt64(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 32, as: UInt32.self) })
        return isValidSegmentSize(size) ? size : nil
    }

    /// The WAL position of a segment's first page (`xlp_pageaddr`, offset 8): the segment's start LSN, or nil.
    public static func pageAddress(segmentHeader bytes: [UInt8]) -> LSN? {
        guard isLongHeader(bytes) else { return nil }
        return LSN(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) })
    }

    /// A long page header (`XLP_LONG_HEADER` in `xlp_info`) is 40 bytes.
    private static func isLongHeader(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 40 else { return false }
        let info = UInt16(bytes[2]) | UInt16(bytes[3]) << 8
        return info & 0x0002 != 0
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
