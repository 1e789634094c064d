import BackupEngine
import Logging

/// Connects point-in-time restore to the base backup extractor.
enum BaseBackupExtraction {
    /// Extracts a base backup into an empty data directory, checking every byte (and PostgreSQL's own manifest when
    /// the backup has one).
    static func extract(repository: Repository, binaries: PostgresBinaries, logger: Logger, progress: ProgressReporter?) -> PointInTimeRestore.Extractor {
        { manifest, dataDirectory, keyring in
            _ = try await BaseBackupExtractor(repository: repository, binaries: binaries, logger: logger)
                .extract(manifest, into: dataDirectory, keyring: keyring, progress: progress)
        }
    }
}
