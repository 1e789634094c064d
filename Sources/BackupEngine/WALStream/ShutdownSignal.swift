import Foundation
import NIOConcurrencyHelpers

/// A one-way "stop now" flag that long-running loops wait on: SIGTERM sets it, sleeps end early, and registered
/// handlers run (e.g. to interrupt a child process). Safe to trigger from a signal source's queue.
public final class ShutdownSignal: Sendable {
    private struct State {
        var stopped = false
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var handlers: [UInt64: @Sendable () -> Void] = [:]
        var nextToken: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())

    /// A signal not yet triggered.
    public init() {}

    /// Whether `trigger()` was called.
    public var isTriggered: Bool { state.withLockedValue { $0.stopped } }

    /// Sets the flag, wakes every waiter and runs every handler once.
    public func trigger() {
        let (waiters, handlers) = state.withLockedValue { state -> ([CheckedContinuation<Void, Never>], [@Sendable () -> Void]) in
            guard !state.stopped else { return ([], []) }
            state.stopped = true
            defer { state.waiters = [:]; state.handlers = [:] }
            return (Array(state.waiters.values), Array(state.handlers.values))
        }
        waiters.forEach { $0.resume() }
        handlers.forEach { $0() }
    }

    /// Runs `handler` when the signal is triggered (at once if it already was), for as long as `body` runs.
    public func whileRunning<T>(onTrigger handler: @escaping @Sendable () -> Void, _ body: () async throws -> T) async rethrows -> T {
        let token: UInt64? = state.withLockedValue { state in
            guard !state.stopped else { return nil }
            state.nextToken += 1
            state.handlers[state.nextToken] = handler
            return state.nextToken
        }
        if token == nil { handler() }
        defer { if let token { _ = state.withLockedValue { $0.handlers.removeValue(forKey: token) } } }
        return try await body()
    }

    /// Sleeps `seconds`, or less when the signal is triggered (or the task cancelled) meanwhile.
    public func sleep(seconds: Double) async {
        guard seconds > 0, !isTriggered else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
            group.addTask { await self.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns when the signal is triggered or the task is cancelled.
    public func wait() async {
        let token: UInt64 = state.withLockedValue { state in
            state.nextToken += 1
            return state.nextToken
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.stopped || Task.isCancelled { return true }
                    state.waiters[token] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLockedValue { $0.waiters.removeValue(forKey: token) }
            waiter?.resume()
        }
    }
}
