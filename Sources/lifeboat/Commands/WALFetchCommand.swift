import ArgumentParser
import BackupEngine
import Foundation

/// `lifeboat wal-fetch %f %p`: the `restore_command`.
struct WALFetchCommand: AsyncParsableCommand {
    /// The exit status of every failure other than "not archived".
    ///
    /// PostgreSQL 15's RestoreArchivedFile treats any non-zero status as "the archive has no such file" (recovery then
    /// ends and the server promotes), except when `wait_result_is_any_signal(rc, true)` holds: the command died on a
    /// signal or exited with a status above 125. Then the startup process stops with FATAL and the server does not come
    /// up, which is what an unreachable or damaged repository must cause. 126 and 127 would be logged as "command not
    /// executable"/"command not found" and 129–192 read like a death by signal, so lifeboat uses 200, which PostgreSQL
    /// logs as "child process exited with exit code 200".
    static let stopRecoveryStatus: Int32 = 200

    static let configuration = CommandConfiguration(
        commandName: "wal-fetch",
        abstract: "Restore one archived WAL file for recovery (restore_command = 'lifeboat wal-fetch %f %p').",
        discussion: """
            Exit codes: 0 restored; 1 only when the repository confirms the file is not archived (recovery ends there); 200 for \
            every other failure after retries (unreachable, denied, timed out, damaged, wrong key, bad arguments), which makes \
            PostgreSQL stop recovery instead of promoting early without the newest WAL. A segment that is missing while later \
            segments of its timeline are archived is a gap, not the end of the archive: also 200.

            A segment that is not archived but whose .partial is (the stream mode ships the unfinished segment) is served from \
            the partial object. The cluster comes from global/pg_control of the data directory being recovered (--pgdata, else \
            the current directory where restore_command runs, else PGDATA), else from the repository's record.

            --prefetch N (or LIFEBOAT_WAL_FETCH_PREFETCH) fetches the next N segments of the timeline in parallel into a queue \
            folder (default pg_wal/lifeboat-fetch); each queued file is checked against its archived SHA-256 again before it is \
            served, and the queue is emptied when the archive ends.

            --async (or LIFEBOAT_WAL_FETCH_ASYNC=1), with --prefetch N: the reading ahead is done by a background process of \
            its own (started by the first call, one per queue) that keeps the N segments after the latest request fetched \
            while PostgreSQL replays, so each call only moves a verified file into place. It stops at the archive's end, \
            and exits 10 s after the last request or as soon as recovery is over, emptying the queue. Its log is \
            <queue>/background.log. restore_command = 'lifeboat wal-fetch --prefetch 8 --async %f %p'.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions

    @Argument(help: ArgumentHelp("The WAL file name PostgreSQL asks for (%f).", valueName: "name"))
    var name: String

    @Argument(help: ArgumentHelp("Where to write it (%p), relative to the current directory or absolute.", valueName: "destination"))
    var destination: String

    @Option(name: .customLong("pgdata"), help: ArgumentHelp("The data directory being recovered (default: the current directory when it is one, as where restore_command runs; else PGDATA).", valueName: "dir"))
    var pgdata: String?

    @Option(name: .long, help: "Fetch the next N segments ahead into the queue (default: LIFEBOAT_WAL_FETCH_PREFETCH, else 0).")
    var prefetch: Int?

    @Option(name: .customLong("queue-dir"), help: ArgumentHelp("The prefetch queue folder (default: LIFEBOAT_WAL_FETCH_QUEUE_DIR, else <pgdata>/pg_wal/lifeboat-fetch).", valueName: "dir"))
    var queueDir: String?

    @Option(name: .long, help: "Attempts before giving up (default: LIFEBOAT_WAL_FETCH_ATTEMPTS, else 3).")
    var attempts: Int?

    @Option(name: .customLong("retry-delay"), help: "Wait before the second attempt, doubled each time (default: LIFEBOAT_WAL_FETCH_RETRY_DELAY, else 1s).")
    var retryDelay: String?

    @Option(name: .long, help: "Limit on the whole fetch, retries included (default: LIFEBOAT_WAL_FETCH_TIMEOUT, else 5m).")
    var timeout: String?

    @Flag(name: .customLong("async"), help: "Read ahead in a background process while PostgreSQL replays (with --prefetch; default: LIFEBOAT_WAL_FETCH_ASYNC=1).")
    var async = false

    @Flag(name: .customLong("background"), help: .hidden)
    var background = false

    func run() async throws {
        let outcome: WALFetcher.Outcome
        do {
            outcome = try await fetch()
        } catch let error as LifeboatError {
            CommandRunner.report(error)
            throw ExitCode(Self.stopRecoveryStatus)
        } catch {
            CommandRunner.report(LifeboatError(.repository, "\(error)"))
            throw ExitCode(Self.stopRecoveryStatus)
        }
        if outcome == .absent { throw ExitCode(1) }
    }

    private func fetch() async throws -> WALFetcher.Outcome {
        let env = ProcessInfo.processInfo.environment
        let logger = CommandRunner.logger("wal-fetch")
        if let prefetch, !(0...64).contains(prefetch) { throw LifeboatError(.invalidInput, "--prefetch must be between 0 and 64") }
        let settings = WALFetchSettings(
            attempts: try attempts ?? WALPushCommand.environmentInteger("LIFEBOAT_WAL_FETCH_ATTEMPTS", range: 1...100) ?? 3,
            initialBackoff: try Self.duration(retryDelay, flag: "--retry-delay", variable: "LIFEBOAT_WAL_FETCH_RETRY_DELAY", defaultSeconds: 1),
            timeout: try Self.duration(timeout, flag: "--timeout", variable: "LIFEBOAT_WAL_FETCH_TIMEOUT", defaultSeconds: 300),
            prefetch: try prefetch ?? WALPushCommand.environmentInteger("LIFEBOAT_WAL_FETCH_PREFETCH", range: 0...64) ?? 0,
            queueDirectory: queueDir ?? env["LIFEBOAT_WAL_FETCH_QUEUE_DIR"], origin: repository.origin())
        let repo = try repository.open(logger: logger)
        let dataDirectory = pgdata ?? DataDirectoryLocation.resolve()
        let identity: ClusterIdentity
        if let local = try? ClusterIdentity.read(dataDirectory: dataDirectory) {
            identity = local
        } else if let owner = try await ClusterClaim.owner(of: repo) {
            identity = owner
        } else {
            throw LifeboatError(.repository, "\(repo.storage.location) holds no WAL archive of any cluster, and \(dataDirectory) is not a data directory",
                                hint: "check LIFEBOAT_REPO and run in the data directory being recovered (or pass --pgdata)")
        }
        let fetcher = WALFetcher(repository: repo, identity: identity, keyring: try encryption.keyring(), dataDirectory: dataDirectory,
                                 settings: settings, logger: logger)
        if background {
            try await WALBackgroundFetcher(fetcher: fetcher, parallel: min(settings.prefetch, 4)).run()
            return .restored(bytes: 0, source: .queue)
        }
        let outcome: WALFetcher.Outcome
        if try async || WALPushCommand.environmentFlag("LIFEBOAT_WAL_FETCH_ASYNC") {
            outcome = try await fetcher.fetchWithBackground(name, to: destination) {
                try BackgroundCopy.start(pgdataGiven: pgdata != nil, dataDirectory: dataDirectory, logFile: fetcher.queue.logPath)
            }
        } else {
            outcome = try await fetcher.fetch(name, to: destination)
        }
        if outcome == .absent { logger.info("\(name) is not archived in \(repo.storage.location)") }
        return outcome
    }

    /// A duration from the flag, else the environment, else `default` seconds.
    static func duration(_ value: String?, flag: String, variable: String, defaultSeconds: Double) throws -> Duration {
        let text = value ?? ProcessInfo.processInfo.environment[variable]
        guard let text, !text.isEmpty else { return .milliseconds(Int64(defaultSeconds * 1000)) }
        guard let seconds = DurationText.parse(text) ?? Double(text), seconds >= 0 else {
            throw LifeboatError(.invalidInput, "\(value == nil ? variable : flag) \"\(text)\" is not a duration", hint: "write e.g. 30s, 5m")
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}
