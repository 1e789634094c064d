import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Logical backup and restore against a real PostgreSQL")
struct LogicalRoundTripTests {
    @Test("given two databases, when backed up and restored into new databases, then every table's rows and content checksums equal the source's")
    func severalDatabasesRoundTrip() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app")
                try await SampleData.load(cluster, database: "billing db", rows: 500)
                let keyFile = dir + "/key"
                try EncryptionKey.generate().exported.write(toFile: keyFile, atomically: true, encoding: .utf8)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let backup = try await cli.run(["backup", "-d", "app", "-d", "billing db", "--encryption-key-file", keyFile])
                #expect(backup.status == 0, "\(backup.output)")
                #expect(backup.stdout.contains("of app, billing db"))

                let list = try await cli.run(["list", "--json"])
                let rows = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]
                #expect(rows?.count == 1)
                #expect((rows?.first?["databases"] as? [String]) == ["app", "billing db"])
                #expect((rows?.first?["encrypted"] as? Bool) == true)

                // A test restore into a throwaway local cluster: nothing is created on the source server.
                let verify = try await cli.run(["verify", "latest", "--restore", "local", "--encryption-key-file", keyFile])
                #expect(verify.status == 0, "\(verify.output)")
                #expect(verify.stdout.contains("6 tables' row counts match"), "\(verify.stdout)")
                #expect(try await cluster.query("SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_verify%'").isEmpty)

                for (source, target) in [("app", "app_copy"), ("billing db", "billing copy")] {
                    let restore = try await cli.run(["restore", "-d", source, "--to", target, "--encryption-key-file", keyFile])
                    #expect(restore.status == 0, "\(restore.output)")
                    let expected = try await cluster.fingerprint(source)
                    #expect(expected.count == 3)
                    #expect(try await cluster.fingerprint(target) == expected)
                }
            }
        }
    }

    @Test("given a directory-format backup with parallel jobs, when restored with parallel jobs, then the content equals the source")
    func directoryFormatRoundTrip() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 3000)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let backup = try await cli.run(["backup", "-d", "app", "--format", "directory", "--jobs", "2", "--scratch-dir", dir, "--compression", "lz4"])
                #expect(backup.status == 0, "\(backup.output)")
                let manifest = try #require(try await Repository(storage: FileStorage(root: dir + "/repo")).backups().first)
                #expect(manifest.databases.first?.format == "directory")
                #expect(manifest.objects.contains { $0.fileName == "toc.dat" })
                #expect(manifest.objects.filter { $0.role == "dump-file" }.count >= 4)
                let restore = try await cli.run(["restore", "-d", "app", "--to", "app_dir", "--jobs", "2", "--scratch-dir", dir])
                #expect(restore.status == 0, "\(restore.output)")
                #expect(try await cluster.fingerprint("app_dir") == (try await cluster.fingerprint("app")))
            }
        }
    }

    @Test("given a damaged table, when only that table is restored over the live database with confirmation, then it is back and other tables are untouched")
    func tablesOnlyRestore() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app")
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app", "--compression", "gzip"]).status == 0)
                let before = try await cluster.fingerprint("app")
                // An accident on one table, and a legitimate change on another that must survive.
                try await cluster.execute(["DELETE FROM audit.events WHERE what LIKE 'event 1%'", "INSERT INTO customers VALUES (99999, 'new', NULL, NULL)"], database: "app")

                let refused = try await cli.run(["restore", "-d", "app", "--to", "app", "--table", "events", "--schema", "audit"])
                #expect(refused.status == 2)
                #expect(refused.stderr.contains("already exists"))
                #expect(refused.stderr.contains("--replace --confirm app"))

                let restore = try await cli.run(["restore", "-d", "app", "--to", "app", "--schema", "audit", "--replace", "--confirm", "app"])
                #expect(restore.status == 0, "\(restore.output)")
                let after = try await cluster.fingerprint("app")
                #expect(after["audit.events"] == before["audit.events"])
                #expect(after["public.customers"] != before["public.customers"], "the newer customer row must still be there")
                #expect(try await cluster.query("SELECT count(*) FROM customers WHERE id = 99999", database: "app").first?.first == "1")
            }
        }
    }

    @Test("given an existing database with open connections, when replaced with --replace --confirm, then it holds exactly the backup's data and the old connections were ended")
    func replaceRestore() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app")
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app", "--no-globals"]).status == 0)
                let expected = try await cluster.fingerprint("app")
                try await cluster.execute(["DROP TABLE orders CASCADE", "CREATE TABLE junk (x int)", "INSERT INTO junk VALUES (1)"], database: "app")
                let idle = try await PGConnection.connect(cluster.connection, database: "app")
                defer { idle.close() }

                let wrongConfirm = try await cli.run(["restore", "-d", "app", "--to", "app", "--replace", "--confirm", "ap"])
                #expect(wrongConfirm.status == 2)
                #expect(wrongConfirm.stderr.contains("--confirm app"))

                let restore = try await cli.run(["restore", "-d", "app", "--to", "app", "--replace", "--confirm", "app"])
                #expect(restore.status == 0, "\(restore.output)")
                #expect(restore.stdout.contains("[replaced]"))
                #expect(try await cluster.fingerprint("app") == expected)
                let leftovers = try await cluster.query("SELECT datname FROM pg_database WHERE datname LIKE '%lifeboat%'")
                #expect(leftovers.isEmpty)
                #expect(throws: (any Error).self) { try idle.query("SELECT 1") }
            }
        }
    }

    @Test("given a source that changes during and after the backup, when verified with a test restore, then row counts match the dump's snapshot")
    func verifyWithRestoreOnLiveSource() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 20000)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let writer = try ChildProcess(
                    executable: try PostgresBinaries.locate().path("psql"),
                    arguments: ["-X", "-q", "-d", "app", "-c", "INSERT INTO orders (customer, amount) SELECT 1, g FROM generate_series(1, 200000) g"],
                    environment: cluster.clientEnvironment.merging(ProcessInfo.processInfo.environment) { a, _ in a }, stdout: .null)
                #expect(try await cli.run(["backup", "-d", "app"]).status == 0)
                _ = try await writer.waitForExit()
                try await cluster.execute(["DELETE FROM orders WHERE id % 2 = 0"], database: "app")
                let verify = try await cli.run(["verify", "--restore", "server"])
                #expect(verify.status == 0, "\(verify.output)")
                #expect(verify.stdout.contains("row counts match"))
                let list = try await cli.run(["list"])
                #expect(list.stdout.contains("ok (restore)"))
            }
        }
    }

    @Test("given a schema-only backup of some schemas, when restored, then the selected tables exist empty and the rest are absent")
    func schemaOnlySelection() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 300)
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                let backup = try await cli.run(["backup", "-d", "app", "--schema-only", "--exclude-schema", "audit", "--no-globals"])
                #expect(backup.status == 0, "\(backup.output)")
                let manifest = try #require(try await Repository(storage: FileStorage(root: dir + "/repo")).backups().first)
                #expect(manifest.options.schemaOnly && manifest.options.excludeSchemas == ["audit"])
                #expect(manifest.databases.first?.rowCounts == nil, "no counts for a schema-only dump")
                #expect(try await cli.run(["restore", "-d", "app", "--to", "shape"]).status == 0)
                let tables = try await cluster.query("SELECT schemaname || '.' || relname, n_live_tup FROM pg_stat_user_tables ORDER BY 1", database: "shape")
                #expect(tables.map { $0[0] } == ["public.customers", "public.orders"])
                #expect(try await cluster.query("SELECT count(*) FROM orders", database: "shape").first?.first == "0")
                #expect(try await cli.run(["verify", "--restore", "server"]).status == 0)
            }
        }
    }

    @Test("given a role that was dropped after the backup, when restored with --globals, then the role exists again and the data is restored")
    func globalsRestore() async throws {
        try await withPostgresCluster { cluster in
            try await withTemporaryDirectory { dir in
                try await SampleData.load(cluster, database: "app", rows: 100)
                try await cluster.execute(["CREATE ROLE reporting_ro NOLOGIN"])
                let cli = LifeboatCLI(environment: cluster.clientEnvironment.merging(["LIFEBOAT_REPO": "file://\(dir)/repo"]) { $1 })
                #expect(try await cli.run(["backup", "-d", "app", "-q"]).status == 0)
                try await cluster.execute(["DROP ROLE reporting_ro"])
                let restore = try await cli.run(["restore", "-d", "app", "--to", "app_roles", "--globals"])
                #expect(restore.status == 0, "\(restore.output)")
                #expect(try await cluster.query("SELECT 1 FROM pg_roles WHERE rolname = 'reporting_ro'").count == 1)
                #expect(try await cluster.fingerprint("app_roles") == (try await cluster.fingerprint("app")))
            }
        }
    }
}
