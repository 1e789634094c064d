import LifeboatAPI
import LifeboatController
import Testing

@Suite struct ArchiveCommandInstructionsTests {
    @Test func givenArchiveCommandMode_whenInstructionsWritten_thenTheyNameSettingsRepositoryAndSecretsButNoValues() throws {
        var policy = PolicySamples.fullyPopulatedValid()
        #expect(ArchiveCommandInstructions.text(for: policy) == nil, "stream mode needs no server settings")
        policy.spec?.wal = WALSpec(mode: .archiveCommand)
        let text = try #require(ArchiveCommandInstructions.text(for: policy))
        #expect(text.contains("archive_command = 'lifeboat wal-push %p'"))
        #expect(text.contains("restore_command = 'lifeboat wal-fetch %f %p'"))
        #expect(text.contains("LIFEBOAT_REPO=s3://backups/prod/orders"))
        #expect(text.contains("from Secret s3-creds"))
        #expect(text.contains("LIFEBOAT_ENCRYPTION_KEY from Secret lifeboat-key (key key)"))
    }
}
