@testable import BackupEngine
import NIOConcurrencyHelpers
import Testing

@Suite("Progress output")
struct ProgressReporterTests {
    @Test("given a non-terminal output, when bytes flow, then plain lines carry bytes, rate and elapsed time")
    func plainLines() {
        let lines = NIOLockedValueBox<[String]>([])
        let reporter = ProgressReporter(phase: "backup of app", interval: 0) { text in lines.withLockedValue { $0.append(text) } }
        reporter.add(plain: 3 * 1024 * 1024, stored: 1024 * 1024)
        reporter.add(plain: 1024 * 1024)
        let printed = lines.withLockedValue { $0 }
        #expect(printed.count == 2)
        #expect(printed.last?.hasPrefix("backup of app: 4.0 MiB read, 1.0 MiB stored, ") == true)
        #expect(printed.last?.contains("/s, ") == true)
        #expect(printed.last?.hasSuffix("elapsed\n") == true)
        #expect(reporter.totals.plain == 4 * 1024 * 1024)
    }

    @Test("given quiet mode, then nothing is printed")
    func quiet() {
        let lines = NIOLockedValueBox<[String]>([])
        let reporter = ProgressReporter(phase: "x", enabled: false, interval: 0) { text in lines.withLockedValue { $0.append(text) } }
        reporter.add(plain: 10)
        #expect(lines.withLockedValue { $0 }.isEmpty)
    }

    static let sizeCases: [(Int64, String)] = [
        (17, "17 B"), (1536, "1.5 KiB"), (150 * 1024 * 1024, "150 MiB"), (5 * 1024 * 1024 * 1024, "5.0 GiB"),
    ]

    @Test("given sizes, then they are formatted for people", arguments: sizeCases)
    func sizes(bytes: Int64, text: String) {
        #expect(ByteFormat.string(bytes) == text)
    }
}
