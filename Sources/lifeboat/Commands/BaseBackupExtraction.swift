import BackupEngine
import Logging

/// Connects point-in-time restore to the base backup extractor.
enum BaseBackupExtraction {
    /// Extracts a base backup into an empty data directory.
    static func extract(repository: Repository, logger: Logger) -> PointInTimeRestore.Extractor {
        { _, _, _ in
            throw LifeboatError(.tool, "this lifeboat build cannot extract base backups yet")
        }
    }
}
