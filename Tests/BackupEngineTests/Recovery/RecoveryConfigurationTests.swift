import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Recovery configuration: restore_command, targets, recovery.signal")
struct RecoveryConfigurationTests {
    @Test("given words with and without shell metacharacters, when quoted for restore_command, then only those that need it are quoted", arguments: [
        ("/usr/local/bin/lifeboat", "/usr/local/bin/lifeboat"),
        ("s3://bucket/prefix", "s3://bucket/prefix"),
        ("/srv/my repo", "'/srv/my repo'"),
        ("it's", "'it'\\''s'"),
        ("", "''"),
    ])
    func shellQuoting(word: String, quoted: String) {
        #expect(RecoveryConfiguration.shellQuote(word) == quoted)
    }

    @Test("given a target and a repository, when the configuration is written, then postgresql.auto.conf gains the settings and recovery.signal exists")
    func writes() async throws {
        try await withTemporaryDirectory { dir in
            try Data("port = 5432\n".utf8).write(to: URL(fileURLWithPath: dir + "/postgresql.auto.conf"))
            try Data().write(to: URL(fileURLWithPath: dir + "/standby.signal"))
            let command = RecoveryConfiguration.restoreCommand(executable: "/opt/life boat/lifeboat", arguments: ["--repo", "file:///srv/repo"])
            #expect(command == "'/opt/life boat/lifeboat' wal-fetch %f %p --repo file:///srv/repo")
            let configuration = RecoveryConfiguration(restoreCommand: command, target: try RecoveryTarget(point: .name("it's")), backupId: "b1",
                                                      extraSettings: [("archive_mode", "off")])
            try configuration.write(into: dir)
            let text = try String(contentsOfFile: dir + "/postgresql.auto.conf", encoding: .utf8)
            #expect(text.hasPrefix("port = 5432\n"))
            #expect(text.contains("restore_command = '''/opt/life boat/lifeboat'' wal-fetch %f %p --repo file:///srv/repo'\n"))
            #expect(text.contains("recovery_target_name = 'it''s'\n"))
            #expect(text.contains("recovery_target_action = 'promote'\n"))
            #expect(text.hasSuffix("archive_mode = 'off'\n"))
            #expect(FileManager.default.fileExists(atPath: dir + "/recovery.signal"))
            #expect(!FileManager.default.fileExists(atPath: dir + "/standby.signal"))
        }
    }

    @Test("given a non-empty directory, when checked for a restore, then it is refused listing what is there; a missing or empty one is accepted")
    func emptyCheck() async throws {
        try await withTemporaryDirectory { dir in
            try PointInTimeRestore.checkEmpty(dir + "/new")
            try PointInTimeRestore.checkEmpty(dir)
            try Data().write(to: URL(fileURLWithPath: dir + "/PG_VERSION"))
            #expect {
                try PointInTimeRestore.checkEmpty(dir)
            } throws: { error in
                (error as? LifeboatError)?.message.contains("not empty (PG_VERSION)") == true
            }
        }
    }
}
