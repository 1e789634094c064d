import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Backups in S3 (moto_server)")
struct S3RepositoryTests {
    static func environment(_ cluster: LocalPostgresCluster, endpoint: URL, bucket: String) -> [String: String] {
        cluster.clientEnvironment.merging([
            "LIFEBOAT_REPO": "s3://\(bucket)/prod/db", "LIFEBOAT_S3_ENDPOINT": endpoint.absoluteString,
            "AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey,
        ]) { $1 }
    }

    @Test("given a database larger than one part, when backed up to S3 with encryption and restored, then the content equals the source")
    func roundTripMultipart() async throws {
        try await withMotoServer(buckets: ["backups"]) { moto in
            try await withPostgresCluster { cluster in
                try await SampleData.load(cluster, database: "app", rows: 1000)
                try await SampleData.addBulk(cluster, database: "app", megabytes: 20)
                let key = EncryptionKey.generate()
                var env = Self.environment(cluster, endpoint: moto.endpoint, bucket: "backups")
                env["LIFEBOAT_ENCRYPTION_KEY"] = key.exported
                let cli = LifeboatCLI(environment: env)
                let backup = try await cli.run(["backup", "-d", "app", "--compression", "none", "-q"])
                #expect(backup.status == 0, "\(backup.output)")
                let list = try await cli.run(["list"])
                #expect(list.stdout.contains("app"), "\(list.output)")
                let restore = try await cli.run(["restore", "-d", "app", "--to", "app_from_s3"])
                #expect(restore.status == 0, "\(restore.output)")
                #expect(try await cluster.fingerprint("app_from_s3") == (try await cluster.fingerprint("app")))
                let verify = try await cli.run(["verify"])
                #expect(verify.status == 0, "\(verify.output)")
            }
        }
    }

    @Test("given a bucket that does not exist, when backing up, then the error names the bucket and what to do")
    func bucketMissing() async throws {
        try await withMotoServer { moto in
            try await withPostgresCluster { cluster in
                let cli = LifeboatCLI(environment: Self.environment(cluster, endpoint: moto.endpoint, bucket: "nosuchbucket"))
                let result = try await cli.run(["backup", "-d", "postgres"])
                #expect(result.status == 1)
                #expect(result.stderr.contains("nosuchbucket"))
                #expect(result.stderr.contains("NoSuchBucket") || result.stderr.contains("does not exist"), "\(result.stderr)")
            }
        }
    }

    @Test("given wrong S3 credentials, when backing up, then the error says the credentials were refused and never shows the secret")
    func wrongCredentials() async throws {
        try await withMotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "0"]) { moto in
            try await withPostgresCluster { cluster in
                var env = Self.environment(cluster, endpoint: moto.endpoint, bucket: "backups")
                env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-42"
                let result = try await LifeboatCLI(environment: env).run(["backup", "-d", "postgres"])
                #expect(result.status == 1)
                #expect(result.stderr.contains("AWS_ACCESS_KEY_ID") || result.stderr.contains("credentials"), "\(result.stderr)")
                #expect(!result.output.contains("not-the-secret-42"))
            }
        }
    }

    @Test("given S3 that fails every attempt at the second part, when backing up, then the backup fails, nothing is listed and no upload is left open")
    func unreachableMidUpload() async throws {
        try await withMotoServer(buckets: ["backups"]) { moto in
            try await withS3FaultProxy(upstreamPort: moto.port, failFirst: 1000, failMatching: "partNumber=2") { proxy in
                try await withPostgresCluster { cluster in
                    try await SampleData.load(cluster, database: "app", rows: 100)
                    try await SampleData.addBulk(cluster, database: "app", megabytes: 40)
                    let cli = LifeboatCLI(environment: Self.environment(cluster, endpoint: proxy.endpoint, bucket: "backups"))
                    let result = try await cli.run(["backup", "-d", "app", "--compression", "none", "-q"])
                    #expect(result.status == 1, "\(result.output)")
                    #expect(result.stderr.contains("SlowDown") || result.stderr.contains("503"), "\(result.stderr)")
                    // Ask moto directly: no manifest, no data objects, no unfinished multipart upload.
                    let direct = LifeboatCLI(environment: Self.environment(cluster, endpoint: moto.endpoint, bucket: "backups"))
                    #expect(try await direct.run(["list"]).stdout.contains("no backups"))
                    let storage = try S3Storage(bucket: "backups", prefix: "prod/db", settings: S3Settings(endpoint: moto.endpoint.absoluteString),
                                                environment: ["AWS_ACCESS_KEY_ID": MotoServer.accessKeyId, "AWS_SECRET_ACCESS_KEY": MotoServer.secretAccessKey], logger: .init(label: "test"))
                    #expect(try await storage.list(prefix: "").isEmpty)
                    #expect(try await storage.incompleteUploads(prefix: "").isEmpty)
                }
            }
        }
    }
}
