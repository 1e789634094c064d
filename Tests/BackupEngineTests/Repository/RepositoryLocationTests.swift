@testable import BackupEngine
import Foundation
import Testing

@Suite("Repository URLs, ids and error classification")
struct RepositoryLocationTests {
    @Test("given a repository URL, when parsed, then the location is the expected one", arguments: [
        ("file:///var/backups/pg", RepositoryLocation.directory("/var/backups/pg")),
        ("/srv/lifeboat", .directory("/srv/lifeboat")),
        ("file:///with%20space", .directory("/with space")),
        ("s3://bucket", .s3(bucket: "bucket", prefix: "")),
        ("s3://bucket/prod/db/", .s3(bucket: "bucket", prefix: "prod/db")),
    ])
    func parses(text: String, expected: RepositoryLocation) throws {
        #expect(try RepositoryLocation.parse(text) == expected)
    }

    @Test("given a malformed repository URL, when parsed, then the error says what is accepted", arguments: [
        ("file://relative/path", "absolute path"),
        ("s3:///prefix-only", "names no bucket"),
        ("gs://bucket", "neither file:///path nor s3://bucket/prefix"),
        ("backups", "neither"),
    ])
    func rejects(text: String, fragment: String) {
        #expect {
            try RepositoryLocation.parse(text)
        } throws: { error in
            let failure = error as? LifeboatError
            return failure?.code == .invalidInput && (failure?.message.contains(fragment) ?? false)
        }
    }

    @Test("given two ids made in the same second, then they differ and sort by time")
    func backupIDs() {
        let early = Date(timeIntervalSince1970: 1_700_000_000)
        let a = BackupID.make(kind: .logical, at: early), b = BackupID.make(kind: .logical, at: early)
        let later = BackupID.make(kind: .logical, at: early.addingTimeInterval(1))
        #expect(a != b)
        #expect(a.hasPrefix("20231114T221320Z-logical-"))
        #expect(a < later && b < later)
    }

    @Test("given database names with unsafe characters, then object stems are file-name safe and distinct", arguments: [
        ("app", 0, "db0-app"), ("billing db", 1, "db1-billing_db"), ("../etc", 2, "db2-.._etc"), ("ümlaut/x", 3, "db3-_mlaut_x"),
    ])
    func objectStems(name: String, index: Int, expected: String) {
        #expect(BackupID.objectStem(database: name, index: index) == expected)
    }

    @Test("given what a PostgreSQL tool said, when classified, then the error code and advice fit", arguments: [
        ("pg_dump: error: connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?", LifeboatError.Code.connection, "PGHOST/PGPORT"),
        ("pg_dump: error: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication failed for user \"app\"", .connection, "PGPASSWORD"),
        ("pg_dump: error: connection to server failed: FATAL:  database \"nope\" does not exist", .databaseMissing, "--all-databases"),
        ("pg_restore: error: could not write to output file: No space left on device", .diskFull, "free space"),
        ("pg_dump: error: query failed: ERROR:  permission denied for table secrets", .tool, "permission denied"),
    ])
    func classifiesToolFailures(stderr: String, code: LifeboatError.Code, advice: String) {
        let error = ToolFailure.classify(tool: "pg_dump", what: "dumping", status: 1, stderr: stderr)
        #expect(error.code == code)
        #expect(error.description.contains(advice))
    }

    @Test("given recorded and restored row counts, when compared, then only real differences are reported")
    func rowCountComparison() {
        let recorded: [String: Int64] = ["public.a": 10, "public.b": 5, "audit.c": 0]
        #expect(RowCountComparison.compare(recorded: recorded, restored: recorded, database: "app", filtered: false).isEmpty)
        let changed = RowCountComparison.compare(recorded: recorded, restored: ["public.a": 9, "public.b": 5], database: "app", filtered: false)
        #expect(changed == ["database app: table public.a has 9 rows after restore, 10 at backup time", "database app: table audit.c (0 rows at backup time) is missing after restore"])
        #expect(RowCountComparison.compare(recorded: recorded, restored: ["public.b": 5], database: "app", filtered: true).isEmpty)
        #expect(RowCountComparison.compare(recorded: recorded, restored: ["public.x": 1], database: "app", filtered: true) == ["database app: table public.x was restored but not counted at backup time"])
    }
}

@Suite("Finding PostgreSQL's programs")
struct PostgresBinariesTests {
    @Test("given a folder without the server programs, when initdb is asked for, then the error names the package to install", arguments: [
        ("initdb", "postgresql-15"), ("pg_dump", "postgresql-client-15"),
    ])
    func missingProgram(tool: String, package: String) {
        #expect {
            try PostgresBinaries(directory: "/nonexistent").path(tool)
        } throws: { error in
            let failure = error as? LifeboatError
            return failure?.message.contains("\(tool) is not installed") == true && failure?.hint?.contains(package) == true
        }
    }

    @Test("given LIFEBOAT_PG_BINDIR pointing at the programs, then they are found there first")
    func environmentOverride() throws {
        let real = try PostgresBinaries.locate()
        let chosen = try PostgresBinaries.locate(environment: ["LIFEBOAT_PG_BINDIR": real.directory, "PATH": ""])
        #expect(chosen.directory == real.directory)
    }
}
