import Foundation
import KubernetesModels
import Testing

@Suite("KubernetesTime: metav1.Time and MicroTime")
struct KubernetesTimeTests {
    @Test("given an instant, when formatted, then Time has whole seconds and MicroTime exactly six digits", arguments: [
        (1_795_254_799.275611, "2026-11-21T09:53:19Z", "2026-11-21T09:53:19.275611Z"),
        (1_795_254_800.0, "2026-11-21T09:53:20Z", "2026-11-21T09:53:20.000000Z"),
        (1_795_254_800.000001, "2026-11-21T09:53:20Z", "2026-11-21T09:53:20.000001Z"),
        (1_795_254_800.9999996, "2026-11-21T09:53:21Z", "2026-11-21T09:53:21.000000Z"),
        (0.5, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.500000Z"),
        (951_782_400.0, "2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000000Z"),
    ])
    func format(epoch: Double, time: String, micro: String) {
        let date = Date(timeIntervalSince1970: epoch)
        // Time truncates (like the API server), except when the fraction rounds to the next second.
        if epoch - epoch.rounded(.down) < 0.9999995 {
            #expect(KubernetesTime.format(date) == time)
        }
        #expect(KubernetesTime.formatMicro(date) == micro)
    }

    @Test("given RFC 3339 text as the server writes or accepts it, when parsed, then the instant is exact", arguments: [
        ("2026-11-21T09:40:42Z", 1_795_254_042.0),
        ("2026-11-21T09:53:19.275611Z", 1_795_254_799.275611),
        ("2026-11-21T10:52:00+01:00", 1_795_254_720.0),
        ("2026-11-21T09:52:00.5-00:30", 1_795_256_520.5),
        ("2026-11-21T09:53:19.123456789Z", 1_795_254_799.123456789),
    ])
    func parse(text: String, epoch: Double) throws {
        let date = try #require(KubernetesTime.parse(text))
        #expect(abs(date.timeIntervalSince1970 - epoch) < 0.000_001)
    }

    @Test("given malformed timestamps, when parsed, then nil", arguments: [
        "", "2026-11-21", "2026-11-21T09:40:42", "2026-13-21T09:40:42Z", "2026-11-21T09:40:42.Z", "2026-11-21T09:40:42Zjunk", "yesterday",
    ])
    func parseRejects(text: String) {
        #expect(KubernetesTime.parse(text) == nil)
    }

    @Test("given the MicroTimes in the Lease and Event samples, when parsed and re-formatted, then the text is identical", arguments: [
        "2026-11-21T09:53:19.275611Z", "2026-11-21T09:53:20.333656Z", "2026-11-21T09:53:47.638081Z",
    ])
    func roundTrip(text: String) throws {
        let date = try #require(KubernetesTime.parse(text))
        #expect(KubernetesTime.formatMicro(date) == text)
    }
}
