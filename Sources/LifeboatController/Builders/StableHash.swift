/// Hashes that stay the same across processes and versions (Swift's `Hasher` is seeded per process), for names and
/// seeded schedules.
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The first `length` lower-case hex digits of `fnv1a64(text)` (at most 16).
    public static func hex(_ text: String, length: Int = 8) -> String {
        let digits = String(fnv1a64(text), radix: 16)
        let padded = String(repeating: "0", count: 16 - digits.count) + digits
        return String(padded.prefix(length))
    }
}
