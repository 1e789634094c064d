import NIOPosix

/// Runs blocking work (a `read(2)`, a libpq call, a file write) on a thread pool of its own so it never
/// occupies one of the few cooperative threads (two on the machines this runs on). The pool is larger than
/// the core count because its threads mostly wait on pipes and sockets, several at once in one pipeline.
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await BlockingPool.shared.runIfActive(body)
}

enum BlockingPool {
    static let shared: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 12)
        pool.start()
        return pool
    }()
}
