import BackupEngine

/// The background halves of `wal-push --async` and `wal-fetch --async`: this same command line started again as a
/// detached process with `--background` (and the data directory made explicit), its standard error appended to
/// `logFile`. Credentials travel in the inherited environment, never in the arguments.
enum BackgroundCopy {
    static func start(pgdataGiven: Bool, dataDirectory: String, logFile: String) throws {
        var arguments = Array(CommandLine.arguments.dropFirst()) + ["--background"]
        if !pgdataGiven { arguments += ["--pgdata", dataDirectory] }
        try DetachedProcess.start(executable: try DetachedProcess.currentExecutable(), arguments: arguments, logFile: logFile)
    }
}
