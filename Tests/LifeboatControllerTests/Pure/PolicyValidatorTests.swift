import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

/// One bad-input case: how to break the minimal policy, and the problem that must be reported.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var lookups = PolicySamples.lookups
    var mutate: @Sendable (inout BackupPolicySpec) -> Void
    var field: String
    var reason: ConditionReason
    var messageFragment: String

    var testDescription: String { name }
}

@Suite struct PolicyValidatorTests {
    static func validate(_ mutate: (inout BackupPolicySpec) -> Void, lookups: SnapshotLookups = PolicySamples.lookups) -> [ValidationProblem] {
        var policy = PolicySamples.minimal()
        mutate(&policy.spec!)
        return PolicyValidator.validate(policy, lookups: lookups)
    }

    @Test func givenMinimalPolicyWithItsSecrets_whenValidated_thenThereAreNoProblems() {
        #expect(PolicyValidator.validate(PolicySamples.minimal(), lookups: PolicySamples.lookups) == [])
    }

    @Test func givenFullyPopulatedPolicyWithOneRepository_whenValidated_thenThereAreNoProblems() {
        let policy = PolicySamples.fullyPopulatedValid()
        #expect(PolicyValidator.validate(policy, lookups: PolicySamples.lookups) == [])
    }

    static let cases: [ValidationCase] = [
        .init(name: "missing credentials Secret", lookups: SnapshotLookups(secrets: ["prod/pg-ca": ["ca.crt"], "prod/s3-creds": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]]),
              mutate: { _ in }, field: "spec.server.credentials.name", reason: .secretNotFound, messageFragment: "Secret \"pg-backup\" not found in namespace \"prod\""),
        .init(name: "missing password key", mutate: { $0.server.credentials.passwordKey = "pw" },
              field: "spec.server.credentials.passwordKey", reason: .secretKeyMissing, messageFragment: "has no key \"pw\" (it has password, username)"),
        .init(name: "missing S3 secret key", mutate: { $0.repository.s3?.credentialsSecret.secretAccessKeyKey = "secret" },
              field: "spec.repository.s3.credentialsSecret.secretAccessKeyKey", reason: .secretKeyMissing, messageFragment: "no key \"secret\""),
        .init(name: "missing encryption Secret", mutate: { $0.encryption = EncryptionSpec(keySecret: SecretKeyReference(name: "nope", key: "k")) },
              field: "spec.encryption.keySecret.name", reason: .secretNotFound, messageFragment: "Secret \"nope\" not found"),
        .init(name: "missing client cert key", mutate: { $0.server.tls?.clientCertSecret = ClientCertificateSecret(name: "pg-client", keyKey: "client.key") },
              field: "spec.server.tls.clientCertSecret.keyKey", reason: .secretKeyMissing, messageFragment: "no key \"client.key\""),
        .init(name: "invalid cron minute", mutate: { $0.schedules.logical?.schedule = "61 * * * *" },
              field: "spec.schedules.logical.schedule", reason: .invalidSchedule, messageFragment: "end of range (61) above maximum (59)"),
        .init(name: "CRON_TZ in schedule", mutate: { $0.schedules.base = ScheduleSpec(schedule: "CRON_TZ=Europe/Berlin 0 2 * * *") },
              field: "spec.schedules.base.schedule", reason: .invalidSchedule, messageFragment: "use timeZone field instead"),
        .init(name: "invalid check schedule", mutate: { $0.check = CheckSpec(schedule: "every 15 minutes") },
              field: "spec.check.schedule", reason: .invalidSchedule, messageFragment: "expected exactly 5 fields"),
        .init(name: "unknown time zone", mutate: { $0.schedules.logical?.timeZone = "Europe/Atlantis" },
              field: "spec.schedules.logical.timeZone", reason: .invalidTimeZone, messageFragment: "unknown time zone \"Europe/Atlantis\""),
        .init(name: "time zone from 14b", mutate: { $0.schedules.base = ScheduleSpec(schedule: "0 3 * * 0", timeZone: "Mars/Olympus") },
              field: "spec.schedules.base.timeZone", reason: .invalidTimeZone, messageFragment: "unknown time zone \"Mars/Olympus\""),
        .init(name: "bad toleration", mutate: { $0.pod = PodSettings(tolerations: [.object(["tolerationSeconds": .string("soon")])]) },
              field: "spec.pod.tolerations", reason: .invalidPodSettings, messageFragment: "not a toleration"),
        .init(name: "Local time zone", mutate: { $0.schedules.logical?.timeZone = "Local" },
              field: "spec.schedules.logical.timeZone", reason: .invalidTimeZone, messageFragment: "IANA"),
        .init(name: "lower-case time zone", mutate: { $0.schedules.logical?.timeZone = "europe/berlin" },
              field: "spec.schedules.logical.timeZone", reason: .invalidTimeZone, messageFragment: "unknown time zone"),
        .init(name: "offset time zone", mutate: { $0.schedules.logical?.timeZone = "GMT+1" },
              field: "spec.schedules.logical.timeZone", reason: .invalidTimeZone, messageFragment: "unknown time zone"),
        .init(name: "both repository kinds", mutate: { $0.repository.volume = VolumeRepositorySpec(claimName: "backup-volume") },
              field: "spec.repository", reason: .repositoryAmbiguous, messageFragment: "both s3 and volume"),
        .init(name: "no repository kind", mutate: { $0.repository = RepositorySpec() },
              field: "spec.repository", reason: .repositoryMissing, messageFragment: "no repository"),
        .init(name: "missing PVC", mutate: { $0.repository = RepositorySpec(volume: VolumeRepositorySpec(claimName: "gone")) },
              field: "spec.repository.volume.claimName", reason: .pvcNotFound, messageFragment: "PersistentVolumeClaim \"gone\" not found"),
        .init(name: "missing WAL spool PVC", mutate: { $0.wal = WALSpec(mode: .stream, spoolClaimName: "spool-gone") },
              field: "spec.wal.spoolClaimName", reason: .pvcNotFound, messageFragment: "\"spool-gone\" not found"),
        .init(name: "negative retention", mutate: { $0.retention = RetentionSpec(keepLast: 3, weekly: -1) },
              field: "spec.retention.weekly", reason: .invalidRetention, messageFragment: "weekly is -1"),
        .init(name: "bad maxAge", mutate: { $0.retention = RetentionSpec(maxAge: "3 months") },
              field: "spec.retention.maxAge", reason: .invalidRetention, messageFragment: "not a duration"),
        .init(name: "bad freshness", mutate: { $0.freshness = "1 day" },
              field: "spec.freshness", reason: .invalidDuration, messageFragment: "not a duration"),
        .init(name: "no databases", mutate: { $0.server.databases = nil },
              field: "spec.server.databases", reason: .invalidDatabases, messageFragment: "set all: true"),
        .init(name: "databases and all", mutate: { $0.server.all = true },
              field: "spec.server.databases", reason: .invalidDatabases, messageFragment: "keep one"),
        .init(name: "no user", mutate: { $0.server.user = nil },
              field: "spec.server.user", reason: .userMissing, messageFragment: "usernameKey"),
        .init(name: "default verify-full without CA", mutate: { $0.server.tls = nil },
              field: "spec.server.tls.caSecret", reason: .caSecretRequired, messageFragment: "verify-full (the default)"),
        .init(name: "no schedule", mutate: { $0.schedules = SchedulesSpec() },
              field: "spec.schedules", reason: .noSchedule, messageFragment: "no schedule"),
        .init(name: "lz4 level too high", mutate: { $0.compression = CompressionSpec(algorithm: .lz4, level: 19) },
              field: "spec.compression.level", reason: .invalidCompression, messageFragment: "use 1-12"),
        .init(name: "bad slot name", mutate: { $0.wal = WALSpec(mode: .stream, slotName: "Orders-Slot") },
              field: "spec.wal.slotName", reason: .invalidWAL, messageFragment: "lower-case"),
        .init(name: "absolute volume path", mutate: { $0.repository = RepositorySpec(volume: VolumeRepositorySpec(claimName: "backup-volume", path: "/etc")) },
              field: "spec.repository.volume.path", reason: .invalidRepository, messageFragment: "relative"),
    ]

    @Test(arguments: cases)
    func givenBrokenPolicy_whenValidated_thenTheProblemNamesTheFieldAndReason(testCase: ValidationCase) {
        let problems = Self.validate(testCase.mutate, lookups: testCase.lookups)
        #expect(problems.count == 1, "\(problems)")
        let problem = problems.first
        #expect(problem?.field == testCase.field)
        #expect(problem?.reason == testCase.reason)
        #expect(problem?.message.contains(testCase.messageFragment) == true, "\(problem?.message ?? "none")")
    }

    @Test func givenSeveralProblems_whenValidated_thenAllAreReportedAndAMissingSecretOnlyOnce() {
        let problems = Self.validate({
            $0.schedules.logical?.schedule = "bad"
            $0.retention = RetentionSpec(daily: -2)
            $0.server.credentials.usernameKey = "username"
        }, lookups: SnapshotLookups(secrets: ["prod/pg-ca": ["ca.crt"], "prod/s3-creds": ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]]))
        #expect(problems.map(\.reason) == [.invalidSchedule, .invalidRetention, .secretNotFound])
    }

    @Test(arguments: ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Etc/UTC", "Europe/Kyiv", "Etc/GMT+1", "EST"])
    func givenIANAZone_whenValidated_thenItIsAccepted(zone: String) {
        #expect(PolicyValidator.checkTimeZone(zone, field: "f") == nil)
    }

    @Test func givenWeakerSSLModeWrittenExplicitly_whenValidated_thenNoCAIsNeeded() {
        let problems = Self.validate { $0.server.tls = PostgresTLS(sslMode: .require) }
        #expect(problems == [])
    }

    @Test func givenSecretProblems_whenReported_thenMessagesNameKeysButNeverValues() {
        // The lookup only ever sees key names; this guards that the message is built from names and fields alone.
        let problems = Self.validate { $0.server.credentials.passwordKey = "pw" }
        #expect(problems.first?.message.contains("spec.server.credentials.passwordKey") == true)
    }

    @Test func givenPolicyWithoutSpec_whenValidated_thenSpecIsReported() {
        let policy = BackupPolicy(metadata: ObjectMeta(name: "x", namespace: "prod"), spec: nil)
        let problems = PolicyValidator.validate(policy, lookups: PolicySamples.lookups)
        #expect(problems.map(\.field) == ["spec"])
        #expect(problems.first?.reason == .specMissing)
    }
}
