/// Follows a tar stream as it passes by (pg_basebackup's `-Ft` output on its way into the repository, or a base
/// backup's plaintext on its way into `tar -x`), without holding it: counts the members and keeps the bytes of the
/// few small top-level files asked for (`backup_label`, `backup_manifest`).
///
/// It reads ustar/GNU headers (octal or base-256 sizes, GNU long names and pax headers are skipped as members of their
/// own), which is what PostgreSQL writes.
public struct TarStreamScanner: Sendable {
    /// Names of the members whose content is kept.
    public let wanted: Set<String>
    /// Contents of the wanted members seen so far, by name.
    public private(set) var captured: [String: [UInt8]] = [:]
    /// Regular files seen so far.
    public private(set) var files = 0
    /// Bytes of tar fed so far.
    public private(set) var bytes: Int64 = 0
    /// True once the end-of-archive marker (a zero block) was seen.
    public private(set) var ended = false
    /// Set when a header could not be read: the stream is not a tar archive this scanner understands.
    public private(set) var malformed: String?

    private var header: [UInt8] = []
    private var remainingData: Int64 = 0
    private var remainingPadding: Int64 = 0
    private var capturing: String?

    /// A scanner keeping the members named in `wanted` (names as stored, e.g. `backup_label`).
    public init(wanted: Set<String> = []) {
        self.wanted = wanted
        header.reserveCapacity(512)
    }

    /// Feeds the next bytes of the stream.
    public mutating func feed(_ chunk: [UInt8]) {
        bytes += Int64(chunk.count)
        var index = chunk.startIndex
        while index < chunk.endIndex, !ended, malformed == nil {
            if remainingData > 0 {
                let take = Int(min(remainingData, Int64(chunk.endIndex - index)))
                if let name = capturing { captured[name, default: []].append(contentsOf: chunk[index..<(index + take)]) }
                remainingData -= Int64(take)
                index += take
                if remainingData == 0 { capturing = nil }
                continue
            }
            if remainingPadding > 0 {
                let take = Int(min(remainingPadding, Int64(chunk.endIndex - index)))
                remainingPadding -= Int64(take)
                index += take
                continue
            }
            let take = min(512 - header.count, chunk.endIndex - index)
            header.append(contentsOf: chunk[index..<(index + take)])
            index += take
            if header.count == 512 {
                parseHeader()
                header.removeAll(keepingCapacity: true)
            }
        }
    }

    private mutating func parseHeader() {
        if header.allSatisfy({ $0 == 0 }) {
            ended = true
            return
        }
        // The checksum (bytes 148..<156) is the sum of the header with its own field read as spaces.
        let sum = header.enumerated().reduce(0) { $0 + Int((148..<156).contains($1.offset) ? 0x20 : $1.element) }
        guard let stored = Self.octal(header[148..<156]), stored == sum else {
            malformed = "a tar header at byte \(bytes) has a wrong checksum"
            return
        }
        guard let size = Self.size(header[124..<136]) else {
            malformed = "a tar header at byte \(bytes) has an unreadable size"
            return
        }
        let type = header[156]
        var name = Self.text(header[0..<100])
        let prefix = Self.text(header[345..<500])
        if !prefix.isEmpty, header[257..<262].elementsEqual("ustar".utf8) { name = prefix + "/" + name }
        if type == UInt8(ascii: "0") || type == 0 { files += 1 }
        remainingData = size
        remainingPadding = (512 - size % 512) % 512
        capturing = nil
        if (type == UInt8(ascii: "0") || type == 0), wanted.contains(name) {
            captured[name] = []
            if size > 0 { capturing = name }
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ bytes: ArraySlice<UInt8>) -> Int? {
        let digits = bytes.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        if digits.isEmpty { return 0 }
        return Int(String(decoding: digits, as: UTF8.self), radix: 8)
    }

    private static func size(_ bytes: ArraySlice<UInt8>) -> Int64? {
        if let first = bytes.first, first & 0x80 != 0 {
            // GNU base-256: the remaining bits, big-endian.
            return bytes.dropFirst().reduce(Int64(first & 0x7F)) { $0 << 8 | Int64($1) }
        }
        let trimmed = bytes.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        if trimmed.isEmpty { return 0 }
        return Int64(String(decoding: trimmed, as: UTF8.self), radix: 8)
    }
}
