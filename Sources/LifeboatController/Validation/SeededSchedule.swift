import Foundation

/// Turns `@hourly-random`, `@daily-random` and `@weekly-random` into a fixed cron expression derived from the policy's
/// namespace and name, so a thousand policies written with `@daily-random` do not all start at midnight, while each
/// policy keeps the same time across controller restarts (FNV-1a, not Swift's per-process randomized `Hasher`).
public enum SeededSchedule {
    /// The seeded macros.
    public static let macros: Set<String> = ["@hourly-random", "@daily-random", "@weekly-random"]

    /// The cron expression a CronJob gets for `schedule`: seeded macros resolved, anything else unchanged.
    ///
    /// `salt` separates the kinds of one policy (e.g. `logical`, `base`) so they do not start at the same minute.
    public static func resolve(_ schedule: String, namespace: String, name: String, salt: String = "") -> String {
        let trimmed = schedule.trimmingCharacters(in: .whitespaces)
        guard macros.contains(trimmed) else { return schedule }
        let seed = salt.isEmpty ? "\(namespace)/\(name)" : "\(namespace)/\(name)/\(salt)"
        // FNV-1a's low bits vary little between similar names; a 64-bit finalizer (MurmurHash3 fmix64) spreads them.
        let hash = mix(fnv1a64(seed))
        let minute = Int(hash % 60)
        let hour = Int((hash / 60) % 24)
        let weekday = Int((hash / 1_440) % 7)
        switch trimmed {
        case "@hourly-random": return "\(minute) * * * *"
        case "@daily-random": return "\(minute) \(hour) * * *"
        default: return "\(minute) \(hour) * * \(weekday)"
        }
    }

    /// MurmurHash3's 64-bit finalizer: every input bit affects every output bit.
    static func mix(_ value: UInt64) -> UInt64 {
        var x = value
        x ^= x >> 33
        x &*= 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        x &*= 0xc4ce_b9fe_1a85_ec53
        x ^= x >> 33
        return x
    }

    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    public static func fnv1a64(_ text: String) -> UInt64 {
        StableHash.fnv1a64(text)
    }
}
