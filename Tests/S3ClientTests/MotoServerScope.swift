import LifeboatTesting
import Testing

/// A suite trait that runs the whole suite against one `moto_server` (started once, stopped after
/// the suite whatever happens), because starting moto takes seconds on these machines.
struct MotoServerScope: SuiteTrait, TestScoping {
    @TaskLocal static var current: MotoServer?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withMotoServer { server in
            try await MotoServerScope.$current.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == MotoServerScope {
    /// Runs the suite with a shared `moto_server`; read it with `MotoServerScope.current`.
    static var sharedMotoServer: Self { MotoServerScope() }
}
