import NIOPosix

/// Runs blocking work (a `read(2)`, a libpq call, a file write) on NIO's thread pool so it never
/// occupies one of the few cooperative threads (two on the machines this runs on).
@inlinable
public func runBlocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}
