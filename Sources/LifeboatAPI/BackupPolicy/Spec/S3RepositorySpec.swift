import KubernetesModels

/// An S3-compatible object store.
public struct S3RepositorySpec: Codable, Sendable, Hashable {
    /// The region used when none is written.
    public static let defaultRegion = "us-east-1"

    /// Bucket name.
    public var bucket: String
    /// Key prefix inside the bucket, e.g. `prod/orders`.
    public var prefix: String?
    /// Endpoint URL for non-AWS stores (MinIO, Ceph); absent means AWS.
    public var endpoint: String?
    /// Region used for request signing (default `us-east-1`).
    public var region: String?
    /// Path-style addressing (`endpoint/bucket/key`), needed by most non-AWS stores.
    public var forcePathStyle: Bool?
    /// Storage class for uploaded objects, e.g. `STANDARD_IA`.
    public var storageClass: String?
    /// The Secret with the access key.
    public var credentialsSecret: S3CredentialsSecret

    /// Creates an S3 repository spec.
    public init(
        bucket: String, prefix: String? = nil, endpoint: String? = nil, region: String? = nil, forcePathStyle: Bool? = nil,
        storageClass: String? = nil, credentialsSecret: S3CredentialsSecret
    ) {
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self.region = region
        self.forcePathStyle = forcePathStyle
        self.storageClass = storageClass
        self.credentialsSecret = credentialsSecret
    }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, …).",
        [
            .init("bucket", .string("Bucket name. The bucket must exist; Lifeboat does not create it.", minLength: 3, maxLength: 63), required: true),
            .init("prefix", .string("Key prefix inside the bucket, e.g. `prod/orders`, so several servers can share a bucket. One repository belongs to one PostgreSQL cluster.", maxLength: 512)),
            .init("endpoint", .string("Endpoint URL for a non-AWS store, e.g. `https://minio.storage.svc:9000`. Leave empty for AWS.", pattern: "^https?://.+")),
            .init("region", .string("Region used to sign requests.", default: defaultRegion, minLength: 1)),
            .init("forcePathStyle", .boolean("Address objects as endpoint/bucket/key instead of bucket.endpoint/key; most non-AWS stores need true.", default: false)),
            .init("storageClass", .string("Storage class for uploaded objects, e.g. STANDARD_IA. Empty means the bucket's default.")),
            .init("credentialsSecret", S3CredentialsSecret.schema, required: true),
        ]
    )
}

/// The Secret with S3 access keys.
public struct S3CredentialsSecret: Codable, Sendable, Hashable {
    /// Default key of the access key id.
    public static let defaultAccessKeyIdKey = "AWS_ACCESS_KEY_ID"
    /// Default key of the secret access key.
    public static let defaultSecretAccessKeyKey = "AWS_SECRET_ACCESS_KEY"

    /// Name of the Secret in the policy's namespace.
    public var name: String
    /// Key holding the access key id (default `AWS_ACCESS_KEY_ID`).
    public var accessKeyIdKey: String?
    /// Key holding the secret access key (default `AWS_SECRET_ACCESS_KEY`).
    public var secretAccessKeyKey: String?

    /// Creates a reference.
    public init(name: String, accessKeyIdKey: String? = nil, secretAccessKeyKey: String? = nil) {
        self.name = name
        self.accessKeyIdKey = accessKeyIdKey
        self.secretAccessKeyKey = secretAccessKeyKey
    }

    /// `accessKeyIdKey`, or its default.
    public var effectiveAccessKeyIdKey: String { accessKeyIdKey ?? Self.defaultAccessKeyIdKey }
    /// `secretAccessKeyKey`, or its default.
    public var effectiveSecretAccessKeyKey: String { secretAccessKeyKey ?? Self.defaultSecretAccessKeyKey }

    /// The schema of this type.
    public static let schema = SchemaNode.object(
        "Secret holding the S3 access key. The values reach the backup pod only as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY environment variables (secretKeyRef).",
        [
            .init("name", .string("Name of the Secret, in the same namespace as the BackupPolicy.", minLength: 1), required: true),
            .init("accessKeyIdKey", .string("Key in the Secret holding the access key id.", default: defaultAccessKeyIdKey, minLength: 1)),
            .init("secretAccessKeyKey", .string("Key in the Secret holding the secret access key.", default: defaultSecretAccessKeyKey, minLength: 1)),
        ]
    )
}
