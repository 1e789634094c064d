/// Waiting for "something changed" inside an actor without unstructured tasks.
///
/// A waiter registers a one-element stream with its actor, then awaits it (optionally racing a
/// deadline) outside the actor's isolation. Cancelling the waiting task ends the wait, because
/// `AsyncStream` iteration returns nil on cancellation.
struct WakeSignals: Sendable {
    private var waiters: [Int: AsyncStream<Void>.Continuation] = [:]
    private var nextID = 0

    /// Registers a waiter and answers its id and the stream to await.
    mutating func register() -> (id: Int, stream: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        nextID += 1
        waiters[nextID] = continuation
        return (nextID, stream)
    }

    /// Forgets a waiter (after a timeout or cancellation).
    mutating func remove(_ id: Int) {
        waiters.removeValue(forKey: id)?.finish()
    }

    /// Wakes every waiter.
    mutating func wakeAll() {
        for continuation in waiters.values {
            continuation.yield()
            continuation.finish()
        }
        waiters.removeAll()
    }

    /// Awaits a wake-up, the deadline (if any), or cancellation, whichever comes first.
    static func wait(_ stream: AsyncStream<Void>, until deadline: ContinuousClock.Instant?) async {
        guard let deadline else {
            for await _ in stream { break }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in stream { break }
            }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
            }
            await group.next()
            group.cancelAll()
        }
    }
}
