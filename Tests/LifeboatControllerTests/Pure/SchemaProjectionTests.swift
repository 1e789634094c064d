import KubernetesModels
import LifeboatAPI
import Testing

@Suite struct SchemaProjectionTests {
    static func value(_ tree: JSONValue?, _ path: String) -> JSONValue? {
        path.split(separator: ".").reduce(tree) { $0?[String($1)] }
    }

    @Test func givenThePolicySchema_whenDefaultsAreProjected_thenEveryDefaultSitsAtItsPathAndNothingElse() throws {
        let tree = try #require(BackupPolicy.schema.defaultsTree)
        #expect(Self.value(tree, "spec.server.port") == .number(5432))
        #expect(Self.value(tree, "spec.server.tls.sslMode") == .string("verify-full"))
        #expect(Self.value(tree, "spec.server.credentials.passwordKey") == .string("password"))
        #expect(Self.value(tree, "spec.repository.s3.credentialsSecret.accessKeyIdKey") == .string("AWS_ACCESS_KEY_ID"))
        #expect(Self.value(tree, "spec.freshness") == .string("26h"))
        #expect(Self.value(tree, "spec.wal.mode") == .string("disabled"))
        #expect(Self.value(tree, "spec.check.schedule") == .string("*/15 * * * *"))
        #expect(Self.value(tree, "spec.schedules.logical.suspend") == .bool(false))
        #expect(Self.value(tree, "spec.retention") == nil, "retention has no defaults")
        #expect(Self.value(tree, "status") == nil)
        #expect(Self.value(tree, "spec.server.host") == nil)
    }

    @Test func givenThePolicySchema_whenKnownFieldsAreProjected_thenObjectsListTheirKeysAndMapsKeepEverything() throws {
        let tree = BackupPolicy.schema.knownFieldsTree
        let server = try #require(Self.value(tree, "spec.server"))
        guard case .object(let keys) = server else { Issue.record("spec.server is not an object"); return }
        #expect(Set(keys.keys) == ["host", "port", "databases", "all", "user", "credentials", "tls"])
        #expect(Self.value(tree, "spec.pod.nodeSelector") == .bool(true))
        #expect(Self.value(tree, "spec.pod.tolerations") == .bool(true))
        #expect(Self.value(tree, "metadata") == .bool(true))
        // Arrays are described by their items: a recent run's keys.
        let recent = try #require(Self.value(tree, "status.recentRuns"))
        #expect(recent["kind"] == .bool(true) && recent["prune"]?["deleted"] == .bool(true))
        #expect(recent["unknown"] == nil)
    }
}
