import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing
import Yams

/// A BackupPolicy as a user writes it for `kubectl apply`, decoded the way the controller reads it (JSON from the API
/// server; here converted from YAML), then checked against the schema and the validator.
@Suite struct ManifestDecodingTests {
    static let manifest = """
        apiVersion: lifeboat.dev/v1alpha1
        kind: BackupPolicy
        metadata:
          name: orders
          namespace: prod
          uid: 6b1d3c8e-0f4c-4b8e-9a52-3f1e2d7c9a10
        spec:
          server:
            host: db-rw.prod.svc
            databases: [orders, billing]
            user: backup
            credentials:
              name: pg-backup
            tls:
              caSecret: {name: pg-ca, key: ca.crt}
          repository:
            s3:
              bucket: backups
              prefix: prod/orders
              endpoint: https://minio.storage.svc:9000
              forcePathStyle: true
              credentialsSecret:
                name: s3-creds
          encryption:
            keySecret: {name: lifeboat-key, key: key}
          schedules:
            logical:
              schedule: "@daily-random"
              timeZone: Europe/Berlin
            base:
              schedule: "0 3 * * sun"
          wal:
            mode: stream
          retention:
            keepLast: 3
            daily: 7
            maxAge: 90d
          pod:
            resources:
              requests: {cpu: 1, memory: 256Mi}
            tolerations:
            - {key: dedicated, operator: Equal, value: backup, effect: NoSchedule}
        """

    static func decode() throws -> BackupPolicy {
        let object = try #require(try Yams.load(yaml: manifest))
        let json = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode(BackupPolicy.self, from: json)
    }

    @Test func givenAUserManifest_whenDecoded_thenFieldsAndDefaultsAreRead() throws {
        let policy = try Self.decode()
        let spec = try #require(policy.spec)
        #expect(spec.server.databases == ["orders", "billing"])
        #expect(spec.server.effectivePort == 5432)
        #expect(spec.server.tls?.effectiveSSLMode == .verifyFull)
        #expect(spec.repository.s3?.forcePathStyle == true)
        #expect(spec.schedules.base?.schedule == "0 3 * * sun")
        #expect(spec.wal?.effectiveMode == .stream)
        #expect(spec.retention?.maxAge == "90d")
        #expect(spec.pod?.resources?.requests?["cpu"]?.description == "1")
        #expect(spec.effectiveFreshness == "26h")
    }

    @Test func givenAUserManifest_whenValidatedWithItsSecrets_thenItIsValid() throws {
        #expect(PolicyValidator.validate(try Self.decode(), lookups: PolicySamples.lookups) == [])
    }

    @Test func givenAUserManifest_whenReencoded_thenEveryKeyIsInTheSchema() throws {
        let json = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(try Self.decode()))
        let unknown = SchemaWalker.mismatches(json, BackupPolicy.schema, path: "").filter { $0.contains("missing from the schema") || $0.contains("but the schema says") }
        #expect(unknown.isEmpty, "\(unknown)")
    }

    @Test func givenAUserManifest_whenBuilt_thenChildrenExistForEachScheduleAndWAL() throws {
        let policy = try Self.decode()
        let settings = BuilderSettings(defaultImage: "lifeboat:test")
        #expect(try BackupCronJobBuilder.build(policy, kind: .logical, settings: settings)?.spec?.timeZone == "Europe/Berlin")
        #expect(try BackupCronJobBuilder.build(policy, kind: .base, settings: settings)?.spec?.schedule == "0 3 * * sun")
        #expect(try WALStreamDeploymentBuilder.build(policy, settings: settings) != nil)
        let check = try #require(try CheckCronJobBuilder.build(policy, settings: settings).spec?.schedule)
        #expect(try CronExpression(check).values[0].count == 4, "every 15 minutes: \(check)")
    }
}
