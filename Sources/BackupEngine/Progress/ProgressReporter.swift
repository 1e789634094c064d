import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// Shows progress of a long transfer on stderr: a live line on a terminal, a plain line every
/// `interval` seconds otherwise (logs of a Kubernetes Job), and a final summary line.
///
/// Updates come from the data path; printing happens inline when enough time has passed, so no
/// timer task is needed.
public final class ProgressReporter: Sendable {
    private struct State {
        var plain: Int64 = 0
        var stored: Int64 = 0
        var lastPrint: Date
        var printedLive = false
        var phase: String
    }

    private let state: NIOLockedValueBox<State>
    private let started = Date()
    private let isTerminal: Bool
    private let interval: TimeInterval
    private let enabled: Bool
    private let output: @Sendable (String) -> Void

    /// Creates a reporter for `phase` (e.g. "backup of app").
    public init(phase: String, enabled: Bool = true, interval: TimeInterval? = nil, output: (@Sendable (String) -> Void)? = nil) {
        let terminal = isatty(STDERR_FILENO) == 1
        isTerminal = terminal && output == nil
        self.interval = interval ?? (isTerminal ? 0.25 : 10)
        self.enabled = enabled
        self.output = output ?? { text in FileHandle.standardError.write(Data(text.utf8)) }
        state = NIOLockedValueBox(State(lastPrint: Date(), phase: phase))
    }

    /// Names the current step.
    public func setPhase(_ phase: String) {
        state.withLockedValue { $0.phase = phase }
    }

    /// Counts bytes of plaintext (the database's side) and of stored data (the repository's side).
    public func add(plain: Int = 0, stored: Int = 0) {
        guard enabled else { return }
        let now = Date()
        let line: String? = state.withLockedValue { state in
            state.plain += Int64(plain)
            state.stored += Int64(stored)
            guard now.timeIntervalSince(state.lastPrint) >= interval else { return nil }
            state.lastPrint = now
            state.printedLive = isTerminal
            return render(state, now: now)
        }
        if let line { output(isTerminal ? "\r\u{1B}[2K" + line : line + "\n") }
    }

    /// Totals so far.
    public var totals: (plain: Int64, stored: Int64) {
        state.withLockedValue { ($0.plain, $0.stored) }
    }

    /// Ends the live line (if any) so the next output starts on a fresh line.
    public func finishLine() {
        let live = state.withLockedValue { state -> Bool in
            defer { state.printedLive = false }
            return state.printedLive
        }
        if live { output("\n") }
    }

    private func render(_ state: State, now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(state.plain) / elapsed
        return "\(state.phase): \(ByteFormat.string(state.plain)) read, \(ByteFormat.string(state.stored)) stored, \(ByteFormat.string(Int64(rate)))/s, \(ByteFormat.duration(elapsed)) elapsed"
    }
}

/// Human-readable sizes and durations.
public enum ByteFormat {
    /// `1.5 GiB`, `312 KiB`, `17 B`.
    public static func string(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: value >= 100 ? "%.0f %@" : "%.1f %@", value, units[unit])
    }

    /// `1h02m`, `3m05s`, `12.3s`.
    public static func duration(_ seconds: TimeInterval) -> String {
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
    }
}
