import Foundation

/// Finds the data directory `wal-push` and `wal-fetch` work for when `--pgdata` is not given.
enum DataDirectoryLocation {
    /// The current directory when it holds `global/pg_control` (PostgreSQL runs archive_command and restore_command
    /// there), else PGDATA, else the current directory. The current directory wins because pg_ctl exports PGDATA as it
    /// was given, possibly relative to another directory.
    static func resolve() -> String {
        let current = FileManager.default.currentDirectoryPath
        if FileManager.default.fileExists(atPath: current + "/global/pg_control") { return current }
        if let pgdata = ProcessInfo.processInfo.environment["PGDATA"], !pgdata.isEmpty { return pgdata }
        return current
    }
}
