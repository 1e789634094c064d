import Foundation

import KubernetesModels
import LifeboatAPI

/// The pod every worker run uses: environment (credentials only through `secretKeyRef`), Secret and repository
/// volumes, a non-root locked-down security context, and the termination message the controller reads back.
enum WorkerPodTemplate {
    /// The worker executable inside the image.
    static let command = ["lifeboat"]
    /// Where the CA bundle is mounted.
    static let caMountPath = "/etc/lifeboat/tls/ca"
    /// Where the client certificate is mounted.
    static let clientCertMountPath = "/etc/lifeboat/tls/client"
    /// Where a volume repository is mounted.
    static let repositoryMountPath = "/repository"
    /// Where the WAL spool is mounted.
    static let spoolMountPath = "/spool"
    /// Where the worker writes its result and the kubelet reads the termination message.
    static let terminationMessagePath = "/dev/termination-log"
    /// Secret files readable by the owner and the pod's fsGroup only (0440); libpq accepts root-owned keys up to 0640.
    static let secretFileMode: Int32 = 0o440

    /// The controller ownerReference to `policy`.
    static func ownerReference(_ policy: BackupPolicy) throws(BuilderError) -> OwnerReference {
        guard let name = policy.metadata.name, let uid = policy.metadata.uid, !uid.isEmpty else {
            throw BuilderError("the BackupPolicy has no metadata.name or metadata.uid; build children only from a policy read from the API server")
        }
        return OwnerReference(
            apiVersion: BackupPolicy.descriptor.apiVersion, kind: BackupPolicy.descriptor.kind, name: name, uid: uid,
            controller: true, blockOwnerDeletion: true
        )
    }

    /// Name, namespace and spec of `policy`, or an error naming what is missing.
    static func parts(_ policy: BackupPolicy) throws(BuilderError) -> (name: String, namespace: String, spec: BackupPolicySpec) {
        guard let name = policy.metadata.name, let namespace = policy.metadata.namespace else {
            throw BuilderError("the BackupPolicy has no metadata.name or metadata.namespace")
        }
        guard let spec = policy.spec else { throw BuilderError("the BackupPolicy \(namespace)/\(name) has no spec") }
        return (name, namespace, spec)
    }

    /// Metadata of a child: name, namespace, labels, owner.
    static func metadata(_ policy: BackupPolicy, name: String, kind: WorkloadKind, trigger: String = "schedule", annotations extra: [String: String] = [:]) throws(BuilderError) -> ObjectMeta {
        let (policyName, namespace, _) = try parts(policy)
        var annotations = [WorkloadLabels.policyNameAnnotation: policyName]
        annotations.merge(extra) { _, new in new }
        return ObjectMeta(
            name: name, namespace: namespace,
            labels: WorkloadLabels.labels(policyName: policyName, kind: kind, trigger: trigger),
            annotations: annotations, ownerReferences: [try ownerReference(policy)]
        )
    }

    /// The pod template running `lifeboat <args>` for `kind`.
    static func podTemplate(
        _ policy: BackupPolicy, kind: WorkloadKind, trigger: String = "schedule", args: [String], restartPolicy: String,
        settings: BuilderSettings
    ) throws(BuilderError) -> PodTemplateSpec {
        let (policyName, namespace, spec) = try parts(policy)
        let pod = spec.pod
        var volumes: [Volume] = [Volume(name: "tmp", emptyDir: EmptyDirVolumeSource())]
        var mounts: [VolumeMount] = [VolumeMount(name: "tmp", mountPath: "/tmp")]
        if let ca = spec.server.tls?.caSecret {
            volumes.append(Volume(name: "tls-ca", secret: SecretVolumeSource(secretName: ca.name, defaultMode: secretFileMode)))
            mounts.append(VolumeMount(name: "tls-ca", mountPath: caMountPath, readOnly: true))
        }
        if let client = spec.server.tls?.clientCertSecret {
            volumes.append(Volume(name: "tls-client", secret: SecretVolumeSource(secretName: client.name, defaultMode: secretFileMode)))
            mounts.append(VolumeMount(name: "tls-client", mountPath: clientCertMountPath, readOnly: true))
        }
        if let volume = spec.repository.volume, spec.repository.s3 == nil {
            volumes.append(Volume(name: "repository", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: volume.claimName)))
            mounts.append(VolumeMount(name: "repository", mountPath: repositoryMountPath))
        }
        if kind == .walStream {
            if let claim = spec.wal?.spoolClaimName {
                volumes.append(Volume(name: "spool", persistentVolumeClaim: PersistentVolumeClaimVolumeSource(claimName: claim)))
            } else {
                volumes.append(Volume(name: "spool", emptyDir: EmptyDirVolumeSource()))
            }
            mounts.append(VolumeMount(name: "spool", mountPath: spoolMountPath))
        }
        let container = Container(
            name: "lifeboat",
            image: pod?.image ?? settings.defaultImage,
            command: command,
            args: args,
            env: environment(spec, namespace: namespace, policyName: policyName),
            resources: pod?.resources.map { ResourceRequirements(requests: $0.requests?.mapValues(\.description), limits: $0.limits?.mapValues(\.description)) },
            volumeMounts: mounts,
            securityContext: SecurityContext(
                runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
                capabilities: Capabilities(drop: ["ALL"]), seccompProfile: SeccompProfile(type: "RuntimeDefault")
            ),
            terminationMessagePath: terminationMessagePath,
            terminationMessagePolicy: "File",
            imagePullPolicy: pod?.imagePullPolicy?.rawValue ?? settings.defaultImagePullPolicy
        )
        var podSpec = PodSpec(
            containers: [container],
            restartPolicy: restartPolicy,
            serviceAccountName: pod?.serviceAccountName ?? settings.defaultServiceAccountName,
            automountServiceAccountToken: false,
            nodeSelector: pod?.nodeSelector,
            tolerations: try tolerations(pod?.tolerations),
            securityContext: PodSecurityContext(
                runAsNonRoot: true, runAsUser: settings.runAsUser, runAsGroup: settings.runAsUser, fsGroup: settings.runAsUser,
                seccompProfile: SeccompProfile(type: "RuntimeDefault")
            ),
            volumes: volumes
        )
        podSpec.terminationGracePeriodSeconds = kind == .walStream ? 60 : nil
        return PodTemplateSpec(
            metadata: ObjectMeta(labels: WorkloadLabels.labels(policyName: policyName, kind: kind, trigger: trigger), annotations: pod?.annotations),
            spec: podSpec
        )
    }

    /// Environment of the worker: connection settings as values, every credential as a `secretKeyRef`.
    static func environment(_ spec: BackupPolicySpec, namespace: String, policyName: String) -> [EnvVar] {
        let server = spec.server
        let credentials = server.credentials
        var env: [EnvVar] = [
            EnvVar(name: "LIFEBOAT_POLICY", value: "\(namespace)/\(policyName)"),
            // The worker writes its JSON result here; the controller reads it from the pod's status.
            EnvVar(name: "LIFEBOAT_RESULT_FILE", value: terminationMessagePath),
            EnvVar(name: "HOME", value: "/tmp"),
            EnvVar(name: "PGHOST", value: server.host),
            EnvVar(name: "PGPORT", value: String(server.effectivePort)),
        ]
        if let usernameKey = credentials.usernameKey {
            env.append(secretEnv("PGUSER", name: credentials.name, key: usernameKey))
        } else if let user = server.user {
            env.append(EnvVar(name: "PGUSER", value: user))
        }
        env.append(secretEnv("PGPASSWORD", name: credentials.name, key: credentials.effectivePasswordKey))
        env.append(EnvVar(name: "PGSSLMODE", value: (server.tls?.effectiveSSLMode ?? PostgresTLS.defaultSSLMode).rawValue))
        if let ca = server.tls?.caSecret {
            env.append(EnvVar(name: "PGSSLROOTCERT", value: "\(caMountPath)/\(ca.key)"))
        }
        if let client = server.tls?.clientCertSecret {
            env.append(EnvVar(name: "PGSSLCERT", value: "\(clientCertMountPath)/\(client.effectiveCertKey)"))
            env.append(EnvVar(name: "PGSSLKEY", value: "\(clientCertMountPath)/\(client.effectiveKeyKey)"))
        }
        env.append(EnvVar(name: "LIFEBOAT_REPO", value: repositoryURL(spec.repository)))
        if let s3 = spec.repository.s3 {
            if let endpoint = s3.endpoint { env.append(EnvVar(name: "LIFEBOAT_S3_ENDPOINT", value: endpoint)) }
            env.append(EnvVar(name: "LIFEBOAT_S3_REGION", value: s3.region ?? S3RepositorySpec.defaultRegion))
            if let pathStyle = s3.forcePathStyle { env.append(EnvVar(name: "LIFEBOAT_S3_PATH_STYLE", value: pathStyle ? "true" : "false")) }
            if let storageClass = s3.storageClass { env.append(EnvVar(name: "LIFEBOAT_S3_STORAGE_CLASS", value: storageClass)) }
            env.append(secretEnv("AWS_ACCESS_KEY_ID", name: s3.credentialsSecret.name, key: s3.credentialsSecret.effectiveAccessKeyIdKey))
            env.append(secretEnv("AWS_SECRET_ACCESS_KEY", name: s3.credentialsSecret.name, key: s3.credentialsSecret.effectiveSecretAccessKeyKey))
        }
        if let key = spec.encryption?.keySecret {
            env.append(secretEnv("LIFEBOAT_ENCRYPTION_KEY", name: key.name, key: key.key))
        }
        return env
    }

    /// `s3://bucket/prefix` or `file:///repository/path`.
    static func repositoryURL(_ repository: RepositorySpec) -> String {
        if let s3 = repository.s3 {
            let prefix = (s3.prefix ?? "").trimmingSlashes()
            return prefix.isEmpty ? "s3://\(s3.bucket)" : "s3://\(s3.bucket)/\(prefix)"
        }
        let path = (repository.volume?.path ?? "").trimmingSlashes()
        return path.isEmpty ? "file://\(repositoryMountPath)" : "file://\(repositoryMountPath)/\(path)"
    }

    static func secretEnv(_ variable: String, name: String, key: String) -> EnvVar {
        EnvVar(name: variable, valueFrom: EnvVarSource(secretKeyRef: SecretKeySelector(name: name, key: key)))
    }

    /// The policy's free-form tolerations as typed ones.
    static func tolerations(_ values: [JSONValue]?) throws(BuilderError) -> [Toleration]? {
        guard let values else { return nil }
        do {
            return try values.map { try JSONDecoder().decode(Toleration.self, from: JSONEncoder().encode($0)) }
        } catch {
            throw BuilderError("spec.pod.tolerations: an entry is not a toleration (key, operator, value, effect, tolerationSeconds)")
        }
    }
}

extension String {
    /// The string without leading and trailing slashes.
    fileprivate func trimmingSlashes() -> String {
        var result = Substring(self)
        while result.first == "/" { result = result.dropFirst() }
        while result.last == "/" { result = result.dropLast() }
        return String(result)
    }
}
