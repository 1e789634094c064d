import KubernetesModels

/// How backups are compressed.
public struct CompressionSpec: Codable, Sendable, Hashable {
    /// Compression algorithms a backup may use.
    public enum Algorithm: String, Codable, Sendable, Hashable, CaseIterable {
        /// Zstandard: good ratio at high speed (the default).
        case zstd
        /// LZ4: fastest, larger output.
        case lz4
        /// gzip: widely readable, slower.
        case gzip
        /// No compression (e.g. for data that is already compressed).
        case none

        /// The highest level the algorithm accepts, or nil when it takes no level.
        public var maximumLevel: Int? {
            switch self {
            case .zstd: 19
            case .lz4: 12
            case .gzip: 9
            case .none: nil
            }
        }
    }

    /// The algorithm used when none is written.
    public static let defaultAlgorithm = Algorithm.zstd

    /// Algorithm (default zstd).
    public var algorithm: Algorithm?
    /// Level; higher is smaller and slower.
    public var level: Int?

    /// Creates a compression spec.
    public init(algorithm: Algorithm? = nil, level: Int? = nil) {
        self.algorithm = algorithm
        self.level = level
    }

    /// `algorithm`, or its default.
    public var effectiveAlgorithm: Algorithm { algorithm ?? Self.defaultAlgorithm }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Compression of backup data before it is encrypted and stored.",
        [
            .init("algorithm", .string("Compression algorithm. zstd is the best trade-off for most databases.", enum: Algorithm.allCases.map(\.rawValue), default: defaultAlgorithm.rawValue)),
            .init("level", .integer("Compression level: zstd 1-19, lz4 1-12, gzip 1-9. Empty means the algorithm's default.", minimum: 1, maximum: 19)),
        ]
    )
}
