import ArgumentParser
import BackupEngine
import Foundation
import WALFastPath

/// `lifeboat wal-push %p`: the `archive_command`.
struct WALPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wal-push",
        abstract: "Archive one WAL file into the repository (archive_command = 'lifeboat wal-push %p').",
        discussion: """
            PostgreSQL runs archive_command in the data directory, so %p is relative (pg_wal/000000010000000000000003) and the \
            cluster's identity is read from global/pg_control there (or --pgdata, else PGDATA). The segment's own page header \
            must name the same cluster. The file is compressed (zstd by default), encrypted when a key is given, and created only \
            if absent; exit 0 only once it is durable. The same content again exits 0; different content under an archived name \
            exits non-zero and overwrites nothing.

            --parallel N (or LIFEBOAT_WAL_PUSH_PARALLEL) also pushes up to N-1 other segments PostgreSQL lists in \
            pg_wal/archive_status/*.ready and acknowledges each in the spool folder once stored, so PostgreSQL's later calls for \
            them return at once. PostgreSQL's .ready files are never touched.

            --async (or LIFEBOAT_WAL_PUSH_ASYNC=1) hands the pushing to a background process of its own (started by the first \
            call, one per data directory, exiting after 5 s with nothing to do) that stores every ready file, --parallel at a \
            time, and acknowledges each once durable; each archive_command call then only waits for its file's \
            acknowledgement. A failure of the background push is reported by the call for that file (exit 1, PostgreSQL \
            retries); the background process's own log is <spool>/background.log. Use it when WAL is written faster than one \
            push at a time can store it: archive_command = 'lifeboat wal-push --async --parallel 4 %p'.

            Exit codes: 0 archived; 1 repository or server failure (PostgreSQL keeps the file and retries); 2 refused input; 3 \
            damaged file. Never above 125, which would make PostgreSQL restart its archiver. Quiet on success; \
            LIFEBOAT_LOG_LEVEL=info prints one line per file.
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var encryption: EncryptionOptions

    @Argument(help: ArgumentHelp("The WAL file (%p): relative to the current directory or absolute.", valueName: "path"))
    var path: String

    @Option(name: .customLong("pgdata"), help: ArgumentHelp("The data directory (default: the current directory when it is one, as where archive_command runs; else PGDATA).", valueName: "dir"))
    var pgdata: String?

    @Option(name: .long, help: "Push up to N ready files at once (default: LIFEBOAT_WAL_PUSH_PARALLEL, else 1).")
    var parallel: Int?

    @Option(name: .customLong("spool-dir"), help: ArgumentHelp("Where look-ahead acknowledgements are kept (default: LIFEBOAT_WAL_SPOOL_DIR, else <pgdata>/pg_wal/lifeboat-push).", valueName: "dir"))
    var spoolDir: String?

    @Option(name: .long, help: "zstd (default: LIFEBOAT_WAL_COMPRESSION, else zstd), lz4, gzip or none.")
    var compression: String?

    @Option(name: .customLong("compression-level"), help: "Compression level (default: LIFEBOAT_WAL_COMPRESSION_LEVEL, else zstd 1 as WAL is pushed while the server waits; zstd 1-19, lz4 0-12, gzip 1-9).")
    var compressionLevel: Int?

    @Flag(name: .customLong("async"), help: "Push in a background process and only wait here for this file's acknowledgement (default: LIFEBOAT_WAL_PUSH_ASYNC=1).")
    var async = false

    @Flag(name: .customLong("background"), help: .hidden)
    var background = false

    func validate() throws {
        if let parallel, !(1...64).contains(parallel) { throw ValidationError("--parallel must be between 1 and 64") }
        if let compression, BackupEngine.CompressionAlgorithm(rawValue: compression) == nil { throw ValidationError("--compression must be one of zstd, lz4, gzip, none") }
    }

    func run() async throws {
        try await CommandRunner.run {
            let env = ProcessInfo.processInfo.environment
            let logger = CommandRunner.logger("wal-push")
            let workers = try parallel ?? Self.environmentInteger("LIFEBOAT_WAL_PUSH_PARALLEL", range: 1...64) ?? 1
            let algorithmName = compression ?? env["LIFEBOAT_WAL_COMPRESSION"] ?? "zstd"
            guard let algorithm = BackupEngine.CompressionAlgorithm(rawValue: algorithmName) else {
                throw LifeboatError(.invalidInput, "LIFEBOAT_WAL_COMPRESSION=\(algorithmName) is not one of zstd, lz4, gzip, none")
            }
            // zstd 1 by default: WAL is pushed while PostgreSQL waits, and level 3 costs about 2.5 times the CPU for a few
            // percent smaller objects (pgBackRest's default for WAL is also its fastest level).
            let level = try compressionLevel ?? Self.environmentInteger("LIFEBOAT_WAL_COMPRESSION_LEVEL", range: -7...22)
                ?? (algorithm == .zstd ? 1 : nil)
            // One zstd thread per file: with look-ahead the files themselves are the parallelism.
            let options = try DataPathOptions(compression: algorithm, compressionLevel: level, compressionThreads: 1,
                                              encryptionKey: try encryption.key())
            let dataDirectory = pgdata ?? DataDirectoryLocation.resolve()
            let pusher = WALPusher(repository: try repository.open(logger: logger), dataDirectory: dataDirectory, options: options,
                                   spoolDirectory: spoolDir ?? env["LIFEBOAT_WAL_SPOOL_DIR"], origin: repository.origin(), logger: logger)
            if background {
                try await WALBackgroundPusher(pusher: pusher, parallel: workers).run()
            } else if try async || Self.environmentFlag("LIFEBOAT_WAL_PUSH_ASYNC") {
                _ = try await pusher.pushInBackground(file: path, parallel: workers) {
                    try BackgroundCopy.start(pgdataGiven: pgdata != nil, dataDirectory: dataDirectory, logFile: pusher.spool.logPath)
                }
            } else {
                _ = try await pusher.push(file: path, parallel: workers)
            }
        }
    }

    /// A yes/no setting from the environment: 1/true/yes/on, or 0/false/no/off (or unset); anything else is refused.
    /// Read with lifeboat-wal's rules, so both decide alike.
    static func environmentFlag(_ name: String) throws -> Bool {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return false }
        guard let value = FastPathArguments.yesNo(text) else {
            throw LifeboatError(.invalidInput, "\(name)=\(text) is not one of 1, true, yes, on, 0, false, no, off")
        }
        return value
    }

    /// An integer from the environment, or nil when unset; a malformed value is refused rather than ignored.
    static func environmentInteger(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw LifeboatError(.invalidInput, "\(name)=\(text) is not a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
