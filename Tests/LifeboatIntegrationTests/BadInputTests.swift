import BackupEngine
import Foundation
import LifeboatTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("Bad input gets a clear error and loses nothing")
struct BadInputTests {
    @Test("given no server on the port, when backing up, then exit 1 says the server cannot be reached and nothing is listed")
    func serverUnreachable() async throws {
        try await withTemporaryDirectory { dir in
            let port = try FreePort.find()
            let cli = LifeboatCLI(environment: ["PGHOST": "127.0.0.1", "PGPORT": String(port), "PGUSER": "postgres", "LIFEBOAT_REPO": "file://\(dir)/repo"])
            let result = try await cli.run(["backup", "-d", "app"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("cannot reach the PostgreSQL server"))
            #expect(result.stderr.contains("PGHOST/PGPORT"))
            #expect(try await cli.run(["list"]).stdout.contains("no backups"))
        }
    }

    @Test("given a wrong password, when backing up, then the login refusal is named and the password is not echoed")
    func wrongPassword() async throws {
        var options = LocalPostgresCluster.Options()
        options.superuserPassword = "right-secret"
        try await withPostgresCluster(options) { cluster in
            try await withTemporaryDirectory { dir in
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["PGPASSWORD": "wrong-secret-123", "LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let result = try await cli.run(["backup", "-d", "postgres"])
                #expect(result.status == 1)
                #expect(result.stderr.contains("refused the login"))
                #expect(result.stderr.contains("PGPASSWORD"))
                #expect(!result.output.contains("wrong-secret-123"))
                let ok = try await cli.run(["backup", "-d", "postgres", "--no-globals"], extraEnvironment: ["PGPASSWORD": "right-secret"])
                #expect(ok.status == 0, "\(ok.output)")
            }
        }
    }

    @Test("given a database name that does not exist, when backing up, then the error names it and lists what exists")
    func missingDatabase() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let result = try await cli.run(["backup", "-d", "nosuchdb"])
                #expect(result.status == 1)
                #expect(result.stderr.contains("database \"nosuchdb\" does not exist"))
                #expect(result.stderr.contains("postgres"))
            }
        }
    }

    @Test("given backups in the repository, when restoring an unknown id, then exit 2 names the id and suggests recent ones")
    func unknownBackupId() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 100)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app"]).status == 0)
                let result = try await cli.run(["restore", "20200101T000000Z-logical-000000", "-d", "app", "--to", "x"])
                #expect(result.status == 2)
                #expect(result.stderr.contains("there is no backup \"20200101T000000Z-logical-000000\""))
                #expect(result.stderr.contains("recent backups:"))
                #expect(try await cluster.query("SELECT 1 FROM pg_database WHERE datname = 'x'").isEmpty)
            }
        }
    }

    @Test("given an encrypted backup, when restored with another key or none, then exit 2 names the key ids and no database is created")
    func wrongEncryptionKey() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 100)
                let right = EncryptionKey.generate(), wrong = EncryptionKey.generate()
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app"], extraEnvironment: ["LIFEBOAT_ENCRYPTION_KEY": right.exported]).status == 0)
                let result = try await cli.run(["restore", "-d", "app", "--to", "copy"], extraEnvironment: ["LIFEBOAT_ENCRYPTION_KEY": wrong.exported])
                #expect(result.status == 2)
                #expect(result.stderr.contains(right.id))
                #expect(!result.output.contains(wrong.exported))
                let none = try await cli.run(["restore", "-d", "app", "--to", "copy"])
                #expect(none.status == 2)
                #expect(none.stderr.contains("is encrypted"))
                #expect(try await cluster.query("SELECT 1 FROM pg_database WHERE datname = 'copy'").isEmpty)
            }
        }
    }

    @Test("given a stored dump with one flipped byte or cut short, when restored, then it is refused naming the object and no database is left", arguments: ["flip", "truncate"])
    func damagedObject(damage: String) async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 3000)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app", "--compression", "none"]).status == 0)
                let manifest = try #require(try await Repository(storage: FileStorage(root: dir + "/repo")).backups().first)
                let object = try #require(manifest.objects.first { $0.role == "dump" })
                let path = "\(dir)/repo/backups/\(manifest.id)/\(object.name)"
                var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                if damage == "flip" { bytes[bytes.count / 2] ^= 0x01 } else { bytes.removeLast(bytes.count / 3) }
                try Data(bytes).write(to: URL(fileURLWithPath: path))

                let result = try await cli.run(["restore", "-d", "app", "--to", "copy"])
                #expect(result.status == 3, "\(result.output)")
                #expect(result.stderr.contains(object.name))
                #expect(try await cluster.query("SELECT 1 FROM pg_database WHERE datname = 'copy'").isEmpty)
                let verify = try await cli.run(["verify"])
                #expect(verify.status == 3)
                #expect(verify.stdout.contains(object.name))
                #expect(try await cli.run(["list"]).stdout.contains("FAILED (checksums)"))
            }
        }
    }

    @Test("given a repository volume that fills up, when backing up, then it fails with disk full and nothing partial is listed or left")
    func diskFull() async throws {
        guard geteuid() == 0 else {
            print("skipped: mounting a small tmpfs needs root")
            return
        }
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 100)
                try await SampleData.addBulk(cluster, database: "app", megabytes: 2)
                let mount = dir + "/small"
                try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
                _ = try await ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=512k", "tmpfs", mount], what: "mounting a small tmpfs")
                defer { _ = try? FileManager.default.contentsOfDirectory(atPath: mount); Glibc.system("umount \(mount)") }
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(mount)"]) { $1 })
                let result = try await cli.run(["backup", "-d", "app", "--compression", "none"])
                #expect(result.status == 1)
                #expect(result.stderr.contains("no space left on device"))
                #expect(try await cli.run(["list"]).stdout.contains("no backups"))
                // The directory format checks its scratch space before pg_dump starts.
                let scratch = try await LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                    .run(["backup", "-d", "app", "--format", "directory", "--scratch-dir", mount])
                #expect(scratch.status == 1)
                #expect(scratch.stderr.contains("the scratch folder \(mount) has"), "\(scratch.stderr)")
                #expect(scratch.stderr.contains("--scratch-dir"))
                let leftovers = FileManager.default.enumerator(atPath: mount)?.allObjects.compactMap { $0 as? String }.filter { $0.contains("partial") || $0.hasSuffix(".pgdump") } ?? []
                #expect(leftovers.isEmpty, "left behind: \(leftovers)")
            }
        }
    }
}
