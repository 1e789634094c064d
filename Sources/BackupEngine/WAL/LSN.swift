/// A PostgreSQL write-ahead log position (`pg_lsn`), written `XXXXXXXX/XXXXXXXX` in hex.
public struct LSN: Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 64-bit byte position in the WAL stream.
    public var value: UInt64

    /// Wraps a raw position.
    public init(_ value: UInt64) { self.value = value }

    /// Parses `16/B374D848`; nil when the text is not an LSN.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), (1...8).contains(parts[1].count),
              let high = UInt32(parts[0], radix: 16), let low = UInt32(parts[1], radix: 16) else { return nil }
        value = UInt64(high) << 32 | UInt64(low)
    }

    /// `16/B374D848`, as PostgreSQL prints it.
    public var description: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    public static func < (lhs: LSN, rhs: LSN) -> Bool { lhs.value < rhs.value }

    /// The number of the WAL segment holding this position.
    public func segmentNumber(segmentSize: UInt64) -> UInt64 { value / segmentSize }

    /// Encoded as its text form in JSON.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let lsn = LSN(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an LSN: \(text)"))
        }
        self = lsn
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
