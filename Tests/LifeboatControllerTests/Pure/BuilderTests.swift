import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct BuilderTests {
    static let settings = BuilderSettings(defaultImage: "ghcr.io/lifeboat/lifeboat:0.1.0")

    static func withUID(_ policy: BackupPolicy) -> BackupPolicy {
        var copy = policy
        copy.metadata.uid = copy.metadata.uid ?? "0b6f2a52-7d0e-4c43-9c39-5d1b7a0e9f11"
        return copy
    }

    static func env(_ container: Container?, _ name: String) -> EnvVar? {
        container?.env?.first { $0.name == name }
    }

    @Test func givenMinimalPolicy_whenLogicalCronJobBuilt_thenItRunsBackupOnTheScheduleWithForbidAndHistory() throws {
        let policy = Self.withUID(PolicySamples.minimal())
        let cronJob = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings))
        #expect(cronJob.metadata.name == "orders-logical")
        #expect(cronJob.metadata.namespace == "prod")
        let spec = try #require(cronJob.spec)
        #expect(spec.schedule == "30 2 * * *")
        #expect(spec.concurrencyPolicy == "Forbid")
        #expect(spec.startingDeadlineSeconds == 300)
        #expect(spec.successfulJobsHistoryLimit == 3 && spec.failedJobsHistoryLimit == 3)
        #expect(spec.suspend == false)
        #expect(spec.jobTemplate.spec?.backoffLimit == 0)
        let pod = try #require(spec.jobTemplate.spec?.template.spec)
        #expect(pod.restartPolicy == "Never")
        #expect(pod.automountServiceAccountToken == false)
        let container = try #require(pod.containers.first)
        #expect(container.image == "ghcr.io/lifeboat/lifeboat:0.1.0")
        #expect(container.command == ["lifeboat"])
        #expect(container.args == ["backup", "--kind", "logical", "--compression", "zstd", "--database", "orders"])
        #expect(Self.env(container, "LIFEBOAT_RESULT_FILE")?.value == container.terminationMessagePath)
        #expect(container.terminationMessagePolicy == "File")
        #expect(container.terminationMessagePath == "/dev/termination-log")
    }

    @Test func givenPolicyWithoutBaseSchedule_whenBaseCronJobBuilt_thenThereIsNone() throws {
        #expect(try BackupCronJobBuilder.build(Self.withUID(PolicySamples.minimal()), kind: .base, settings: Self.settings) == nil)
    }

    @Test func givenPolicy_whenChildrenBuilt_thenEachCarriesLabelsOnItselfItsJobTemplateAndPodsAndAControllerOwner() throws {
        let policy = Self.withUID(PolicySamples.fullyPopulatedValid())
        let logical = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings))
        let base = try #require(try BackupCronJobBuilder.build(policy, kind: .base, settings: Self.settings))
        let check = try CheckCronJobBuilder.build(policy, settings: Self.settings)
        for (cronJob, kind) in [(logical, "logical"), (base, "base"), (check, "check")] {
            for labels in [cronJob.metadata.labels, cronJob.spec?.jobTemplate.metadata?.labels, cronJob.spec?.jobTemplate.spec?.template.metadata?.labels] {
                #expect(labels?["app.kubernetes.io/managed-by"] == "lifeboat")
                #expect(labels?["lifeboat.dev/policy"] == "orders")
                #expect(labels?["lifeboat.dev/kind"] == kind)
            }
            let owner = try #require(cronJob.metadata.ownerReferences?.first)
            #expect(owner == OwnerReference(apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy", name: "orders", uid: policy.metadata.uid!, controller: true, blockOwnerDeletion: true))
        }
        let deployment = try #require(try WALStreamDeploymentBuilder.build(policy, settings: Self.settings))
        #expect(deployment.metadata.labels?["lifeboat.dev/kind"] == "wal-stream")
        #expect(deployment.metadata.ownerReferences?.first?.controller == true)
    }

    @Test func givenPolicyWithoutUID_whenBuilt_thenTheErrorSaysWhy() {
        #expect(throws: BuilderError.self) { try BackupCronJobBuilder.build(PolicySamples.minimal(), kind: .logical, settings: Self.settings) }
    }

    @Test func givenFullPolicy_whenBuilt_thenCredentialsArriveOnlyThroughSecretKeyRefsAndNeverInArgs() throws {
        let policy = Self.withUID(PolicySamples.fullyPopulatedValid())
        let spec = try #require(policy.spec)
        var containers: [Container] = []
        for kind in BackupKind.allCases {
            let cronJob = try BackupCronJobBuilder.build(policy, kind: kind, settings: Self.settings)
            containers += cronJob?.spec?.jobTemplate.spec?.template.spec?.containers ?? []
        }
        containers += try CheckCronJobBuilder.build(policy, settings: Self.settings).spec?.jobTemplate.spec?.template.spec?.containers ?? []
        containers += try WALStreamDeploymentBuilder.build(policy, settings: Self.settings)?.spec?.template.spec?.containers ?? []
        containers += try OnDemandBackupJobBuilder.build(policy, token: "t1", settings: Self.settings).spec?.template.spec?.containers ?? []
        #expect(containers.count == 5)
        let secretVariables: [String: (String, String)] = [
            "PGPASSWORD": ("pg-backup", "password"), "PGUSER": ("pg-backup", "username"),
            "AWS_ACCESS_KEY_ID": ("s3-creds", "AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY": ("s3-creds", "AWS_SECRET_ACCESS_KEY"),
            "LIFEBOAT_ENCRYPTION_KEY": ("lifeboat-key", "key"),
        ]
        let secretNames = Set(spec.secretReferences.map(\.name))
        for container in containers {
            for (variable, (secret, key)) in secretVariables {
                let entry = try #require(Self.env(container, variable), "\(variable) missing")
                #expect(entry.value == nil, "\(variable) must not carry a value")
                #expect(entry.valueFrom?.secretKeyRef?.name == secret && entry.valueFrom?.secretKeyRef?.key == key)
            }
            for argument in container.args ?? [] {
                #expect(!secretNames.contains(argument), "argument \(argument) names a Secret")
                #expect(!secretVariables.keys.contains { argument.contains($0) })
            }
            let values = (container.env ?? []).compactMap(\.value)
            #expect(!values.contains { secretNames.contains($0) })
            #expect(Self.env(container, "PGHOST")?.value == "db-rw.prod.svc")
            #expect(Self.env(container, "PGPORT")?.value == "5433")
            #expect(Self.env(container, "PGSSLMODE")?.value == "verify-full")
            #expect(Self.env(container, "PGSSLROOTCERT")?.value == "/etc/lifeboat/tls/ca/ca.crt")
            #expect(Self.env(container, "PGSSLCERT")?.value == "/etc/lifeboat/tls/client/tls.crt")
            #expect(Self.env(container, "PGSSLKEY")?.value == "/etc/lifeboat/tls/client/tls.key")
            #expect(Self.env(container, "LIFEBOAT_REPO")?.value == "s3://backups/prod/orders")
            #expect(Self.env(container, "LIFEBOAT_S3_ENDPOINT")?.value == "https://minio.storage.svc:9000")
            #expect(Self.env(container, "LIFEBOAT_S3_REGION")?.value == "eu-central-1")
            #expect(Self.env(container, "LIFEBOAT_S3_PATH_STYLE")?.value == "true")
            #expect(Self.env(container, "LIFEBOAT_S3_STORAGE_CLASS")?.value == "STANDARD_IA")
        }
    }

    @Test func givenAnyChild_whenBuilt_thenThePodRunsNonRootReadOnlyWithoutCapabilities() throws {
        let policy = Self.withUID(PolicySamples.fullyPopulatedValid())
        let pods = [
            try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings)?.spec?.jobTemplate.spec?.template.spec,
            try CheckCronJobBuilder.build(policy, settings: Self.settings).spec?.jobTemplate.spec?.template.spec,
            try WALStreamDeploymentBuilder.build(policy, settings: Self.settings)?.spec?.template.spec,
        ]
        for pod in pods {
            let pod = try #require(pod)
            #expect(pod.securityContext?.runAsNonRoot == true)
            #expect(pod.securityContext?.runAsUser == 65_532)
            #expect(pod.securityContext?.fsGroup == 65_532)
            #expect(pod.securityContext?.seccompProfile?.type == "RuntimeDefault")
            let context = try #require(pod.containers.first?.securityContext)
            #expect(context.runAsNonRoot == true)
            #expect(context.readOnlyRootFilesystem == true)
            #expect(context.allowPrivilegeEscalation == false)
            #expect(context.capabilities?.drop == ["ALL"])
            #expect(context.seccompProfile?.type == "RuntimeDefault")
            #expect(pod.volumes?.contains { $0.name == "tmp" && $0.emptyDir != nil } == true)
            let secretVolumes = (pod.volumes ?? []).compactMap(\.secret)
            #expect(secretVolumes.count == 2)
            #expect(secretVolumes.allSatisfy { $0.defaultMode == 0o440 })
            #expect(pod.serviceAccountName == "lifeboat-worker")
            #expect(pod.nodeSelector == ["kubernetes.io/os": "linux"])
            #expect(pod.tolerations == [Toleration(key: "dedicated", operator: "Equal", value: "backup", effect: "NoSchedule")])
            #expect(pod.containers.first?.resources == ResourceRequirements(requests: ["cpu": "250m", "memory": "256Mi"], limits: ["cpu": "2", "memory": "1Gi"]))
        }
    }

    @Test func givenFullPolicy_whenCronJobsBuilt_thenSeededScheduleTimeZoneSuspendAndPruneStepAreApplied() throws {
        let policy = Self.withUID(PolicySamples.fullyPopulatedValid())
        let logical = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings))
        #expect(logical.spec?.schedule == SeededSchedule.resolve("@daily-random", namespace: "prod", name: "orders", salt: "logical"))
        #expect(logical.spec?.schedule.hasPrefix("@") == false)
        #expect(logical.spec?.timeZone == "Europe/Berlin")
        #expect(logical.spec?.jobTemplate.spec?.template.spec?.containers.first?.args == [
            "backup", "--kind", "logical", "--compression", "zstd", "--compression-level", "6", "--database", "orders", "--database", "billing",
            "--prune", "--keep-last", "3", "--keep-daily", "7", "--keep-weekly", "4", "--keep-monthly", "12", "--keep-yearly", "2", "--max-age", "400d",
        ])
        let base = try #require(try BackupCronJobBuilder.build(policy, kind: .base, settings: Self.settings))
        #expect(base.spec?.suspend == true)
        #expect(base.spec?.jobTemplate.spec?.template.spec?.containers.first?.args?.prefix(3) == ["backup", "--kind", "base"])
        #expect(base.spec?.jobTemplate.spec?.template.spec?.containers.first?.args?.contains("--database") == false)
        let check = try CheckCronJobBuilder.build(policy, settings: Self.settings)
        #expect(check.spec?.schedule == "*/10 * * * *")
        #expect(check.spec?.jobTemplate.spec?.template.spec?.containers.first?.args == ["check", "--json", "--freshness", "26h", "--wal-mode", "stream"])
    }

    @Test(arguments: [
        String(repeating: "a", count: 63),
        String(repeating: "very-long-policy-name-", count: 10),
        "orders.prod.example-with-a-rather-long-dotted-name.svc",
    ])
    func givenLongPolicyName_whenNamed_thenNamesFitTheLimitsAreStableAndDistinct(name: String) {
        for kind in WorkloadKind.allCases {
            let cronJob = ChildNames.cronJob(policyName: name, kind: kind)
            #expect(cronJob.count <= 52)
            #expect(cronJob == ChildNames.cronJob(policyName: name, kind: kind))
            #expect(!cronJob.hasSuffix("-") && !cronJob.hasSuffix("."))
            #expect("\(cronJob)-2992091200".count <= 63, "the Job name the CronJob controller derives: - and up to 10 digits of scheduled minutes (14c)")
            #expect(cronJob != ChildNames.cronJob(policyName: name + "x", kind: kind))
        }
        let job = ChildNames.onDemandJob(policyName: name, kind: .logical, token: "2026-11-21")
        #expect(job.count <= 52)
        #expect(job == ChildNames.onDemandJob(policyName: name, kind: .logical, token: "2026-11-21"))
        #expect(job != ChildNames.onDemandJob(policyName: name, kind: .logical, token: "2026-11-22"))
        #expect(WorkloadLabels.policyLabelValue(name).count <= 63)
    }

    @Test func givenShortNames_whenNamed_thenTheyAreReadable() {
        #expect(ChildNames.cronJob(policyName: "orders", kind: .logical) == "orders-logical")
        #expect(ChildNames.cronJob(policyName: "orders", kind: .check) == "orders-check")
        #expect(ChildNames.walStreamDeployment(policyName: "orders") == "orders-wal-stream")
        #expect(ChildNames.onDemandJob(policyName: "orders", kind: .base, token: "x").hasPrefix("orders-base-now-"))
    }

    @Test func givenBackupNowToken_whenJobBuilt_thenTheNameDerivesFromTheTokenAndTheTokenIsAnnotated() throws {
        let policy = Self.withUID(PolicySamples.minimal())
        let first = try OnDemandBackupJobBuilder.build(policy, token: "run-1", settings: Self.settings)
        let again = try OnDemandBackupJobBuilder.build(policy, token: "run-1", settings: Self.settings)
        let other = try OnDemandBackupJobBuilder.build(policy, token: "run-2", settings: Self.settings)
        #expect(first == again)
        #expect(first.metadata.name != other.metadata.name)
        #expect(first.metadata.annotations?["lifeboat.dev/backup-now-token"] == "run-1")
        #expect(first.metadata.labels?["lifeboat.dev/trigger"] == "backup-now")
        #expect(first.metadata.labels?["lifeboat.dev/kind"] == "logical")
        #expect(first.spec?.template.metadata?.labels?["lifeboat.dev/policy"] == "orders")
        #expect(first.metadata.ownerReferences?.first?.controller == true)
        #expect(first.spec?.template.spec?.containers.first?.args == ["backup", "--kind", "logical", "--compression", "zstd", "--database", "orders"])
        #expect(throws: BuilderError.self) { try OnDemandBackupJobBuilder.build(policy, token: "", settings: Self.settings) }
    }

    @Test func givenStreamMode_whenDeploymentBuilt_thenOneReplicaRecreatesWithTheSpoolAndSelectorMatchingPods() throws {
        var policy = Self.withUID(PolicySamples.minimal())
        #expect(try WALStreamDeploymentBuilder.build(policy, settings: Self.settings) == nil)
        policy.spec?.wal = WALSpec(mode: .stream)
        let deployment = try #require(try WALStreamDeploymentBuilder.build(policy, settings: Self.settings))
        let spec = try #require(deployment.spec)
        #expect(deployment.metadata.name == "orders-wal-stream")
        #expect(spec.replicas == 1)
        #expect(spec.strategy?.type == "Recreate")
        let podLabels = spec.template.metadata?.labels ?? [:]
        for (key, value) in spec.selector.matchLabels ?? [:] { #expect(podLabels[key] == value) }
        #expect(spec.template.spec?.restartPolicy == "Always")
        #expect(spec.template.spec?.volumes?.first { $0.name == "spool" }?.emptyDir != nil)
        #expect(spec.template.spec?.containers.first?.args == ["wal-stream", "--slot", "lifeboat_prod_orders", "--spool", "/spool"])
        policy.spec?.wal = WALSpec(mode: .stream, slotName: "my_slot", spoolClaimName: "wal-spool")
        let withClaim = try #require(try WALStreamDeploymentBuilder.build(policy, settings: Self.settings))
        #expect(withClaim.spec?.template.spec?.volumes?.first { $0.name == "spool" }?.persistentVolumeClaim?.claimName == "wal-spool")
        #expect(withClaim.spec?.template.spec?.containers.first?.args?[2] == "my_slot")
    }

    @Test func givenVolumeRepository_whenBuilt_thenTheClaimIsMountedAndTheRepoURLPointsIntoIt() throws {
        var policy = Self.withUID(PolicySamples.minimal())
        policy.spec?.repository = RepositorySpec(volume: VolumeRepositorySpec(claimName: "backup-volume", path: "lifeboat/orders/"))
        let pod = try #require(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings)?.spec?.jobTemplate.spec?.template.spec)
        #expect(pod.volumes?.first { $0.name == "repository" }?.persistentVolumeClaim?.claimName == "backup-volume")
        #expect(pod.containers.first?.volumeMounts?.contains(VolumeMount(name: "repository", mountPath: "/repository")) == true)
        #expect(Self.env(pod.containers.first, "LIFEBOAT_REPO")?.value == "file:///repository/lifeboat/orders")
        #expect(Self.env(pod.containers.first, "AWS_ACCESS_KEY_ID") == nil)
    }

    @Test func givenBadTolerations_whenBuilt_thenTheErrorNamesTheField() {
        var policy = Self.withUID(PolicySamples.minimal())
        policy.spec?.pod = PodSettings(tolerations: [.object(["tolerationSeconds": .string("soon")])])
        #expect {
            try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings)
        } throws: { error in
            (error as? BuilderError)?.description.contains("spec.pod.tolerations") == true
        }
    }

    @Test func givenSamePolicy_whenBuiltTwice_thenTheChildrenAreEqual() throws {
        let policy = Self.withUID(PolicySamples.fullyPopulatedValid())
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let first = try encoder.encode(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings))
        let second = try encoder.encode(try BackupCronJobBuilder.build(policy, kind: .logical, settings: Self.settings))
        #expect(first == second)
    }

    @Test func givenStreamMode_whenCleanupJobBuilt_thenItDropsTheSlotWithoutASpoolAndIsOwned() throws {
        var policy = Self.withUID(PolicySamples.minimal())
        #expect(try SlotCleanupJobBuilder.build(policy, settings: Self.settings) == nil)
        policy.spec?.wal = WALSpec(mode: .stream, spoolClaimName: "wal-spool")
        let job = try #require(try SlotCleanupJobBuilder.build(policy, settings: Self.settings))
        #expect(job.metadata.name == "orders-drop-slot")
        #expect(job.metadata.labels?["lifeboat.dev/trigger"] == "cleanup")
        #expect(job.metadata.ownerReferences?.first?.uid == policy.metadata.uid)
        let pod = try #require(job.spec?.template.spec)
        #expect(pod.containers.first?.args == ["wal-stream", "--slot", "lifeboat_prod_orders", "--drop-slot"])
        #expect(pod.volumes?.contains { $0.name == "spool" } == false)
        #expect(pod.containers.first?.volumeMounts?.contains { $0.name == "spool" } == false)
        #expect(Self.env(pod.containers.first, "PGPASSWORD")?.valueFrom?.secretKeyRef?.name == "pg-backup")
    }
}
