import ArgumentParser
import BackupEngine
import Foundation
import LifeboatAPI

/// Runs `lifeboat restore --kind point-in-time`: plans, extracts, configures, prints what it did.
struct PointInTimeRestoreRunner {
    var options: PointInTimeOptions
    var repository: RepositoryOptions
    var encryption: EncryptionOptions
    var output: OutputOptions

    func run() async throws {
        let started = Date()
        try await CommandRunner.run {
            do {
                try await restore(started: started)
            } catch let error as LifeboatError {
                writeResult(WorkerResult(command: "restore", ok: false, kind: .base, startedAt: Timestamps.format(started), finishedAt: Timestamps.format(Date()),
                                         error: .init(code: error.code.rawValue, message: error.message)))
                throw error
            }
        }
    }

    private func restore(started: Date) async throws {
        let logger = CommandRunner.logger("restore")
        let repo = try repository.open(logger: logger)
        let dataDirectory = URL(fileURLWithPath: options.dataDirectory!).standardizedFileURL.path
        let request = PointInTimeRestore.Request(
            dataDirectory: dataDirectory, target: try options.target(), backupId: options.backupId, keyring: try encryption.keyring(),
            restoreCommand: RecoveryConfiguration.restoreCommand(executable: restoreCommandExecutable(), arguments: try restoreCommandArguments()),
            extraSettings: options.noArchive ? [("archive_mode", "off")] : [])
        let binaries = try PostgresBinaries.locate()
        let restore = PointInTimeRestore(repository: repo, binaries: binaries, logger: logger,
                                         extract: BaseBackupExtraction.extract(repository: repo, binaries: binaries, logger: logger,
                                                                               progress: output.json ? nil : output.progress("extract")))
        if options.planOnly {
            try PointInTimeRestore.checkEmpty(dataDirectory)
            let plan = try await restore.plan(request)
            report(plan: plan, started: started, outcome: nil)
            return
        }
        let outcome = try await restore.run(request)
        var reached: RecoveryServer.Reached?
        if options.start {
            let server = RecoveryServer(dataDirectory: dataDirectory, port: try options.port ?? FreePort.find(), binaries: try PostgresBinaries.locate())
            if !output.json { print("starting PostgreSQL on \(dataDirectory) (port \(server.port)) and waiting for recovery to end …") }
            reached = try await server.startAndWait(timeout: DurationText.parse(options.startTimeout) ?? 3600)
        }
        report(plan: outcome.plan, started: started, outcome: outcome, reached: reached)
    }

    private func report(plan: RecoveryPlan, started: Date, outcome: PointInTimeRestore.Outcome?, reached: RecoveryServer.Reached? = nil) {
        let recovery = WorkerResult.Recovery(baseBackupId: plan.backup.id, target: plan.target.description, timeline: plan.timeline,
                                             expectedStopLSN: plan.expectedStop?.description, reachedLSN: reached?.lsn?.description,
                                             reachedTimeline: reached?.timeline)
        let result = WorkerResult(command: "restore", ok: true, backupId: plan.backup.id, kind: .base, startedAt: Timestamps.format(started),
                                  finishedAt: Timestamps.format(Date()), durationSeconds: Date().timeIntervalSince(started), recovery: recovery)
        writeResult(result)
        if output.json {
            try? printJSON(result)
            return
        }
        var lines: [String] = []
        lines.append("recovery window: \(plan.window.summary)")
        lines.append("target: \(plan.target)" + (plan.expectedStop.map { "; expected to stop at \($0)" } ?? ""))
        lines.append("base backup: \(plan.backup.id) (finished \(Timestamps.format(plan.backup.finishedAt)), WAL from \(plan.firstSegment))")
        lines += plan.notes
        if let outcome {
            lines.append("restored into \(outcome.dataDirectory) in \(ByteFormat.duration(outcome.duration)); recovery.signal written and these settings appended to postgresql.auto.conf:")
            lines += outcome.settings.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { "    " + $0 }
            lines.append("the server needs in its environment: the repository credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY for S3) and LIFEBOAT_ENCRYPTION_KEY if the repository is encrypted")
            if !options.noArchive {
                lines.append("note: the restored server keeps the original's archive settings: once promoted it archives its new timeline into the same repository. Right when it replaces the original; for a copy or a rehearsal, restore with --no-archive")
            }
            if let reached {
                lines.append("recovery ended and the server promoted" + (reached.timeline.map { " to timeline \($0)" } ?? "") + (reached.lsn.map { " at \($0)" } ?? ""))
                if let reason = reached.stopReason { lines.append("    \(reason)") }
                if let time = reached.lastTransactionTime { lines.append("    last replayed commit at \(time)") }
                lines.append("the server is running; stop it with: pg_ctl -D \(RecoveryConfiguration.shellQuote(outcome.dataDirectory)) stop")
            } else {
                lines.append("start recovery with:")
                lines.append("    \(outcome.startCommand)")
            }
        } else {
            lines.append("plan only: nothing was written")
        }
        lines.forEach { print($0) }
    }

    private func writeResult(_ result: WorkerResult) {
        if let path = output.resultPath, let data = try? result.terminationMessage() {
            try? data.write(to: URL(fileURLWithPath: path))
        }
    }

    /// The repository location and non-secret options `wal-fetch` needs; credentials stay in the environment.
    private func restoreCommandArguments() throws -> [String] {
        let env = ProcessInfo.processInfo.environment
        var arguments = ["--repo", try repository.url()]
        if let endpoint = repository.s3Endpoint ?? env["LIFEBOAT_S3_ENDPOINT"] { arguments += ["--s3-endpoint", endpoint] }
        if let region = repository.s3Region ?? env["LIFEBOAT_S3_REGION"] { arguments += ["--s3-region", region] }
        if let pathStyle = repository.s3PathStyle { arguments.append(pathStyle ? "--s3-path-style" : "--no-s3-path-style") }
        if let keyFile = encryption.keyFile { arguments += ["--encryption-key-file", URL(fileURLWithPath: keyFile).standardizedFileURL.path] }
        // Fetch ahead while PostgreSQL replays, so recovery does not wait for the repository segment by segment.
        if options.prefetch > 0 { arguments += ["--prefetch", String(options.prefetch), "--async"] }
        return arguments
    }

    /// The program restore_command runs: `lifeboat-wal` beside this executable when it reads ahead in the background
    /// (it answers queued segments in a few milliseconds and hands everything else to lifeboat), else lifeboat itself.
    private func restoreCommandExecutable() -> String {
        let lifeboat = Self.executablePath()
        let fast = (lifeboat as NSString).deletingLastPathComponent + "/lifeboat-wal"
        return options.prefetch > 0 && FileManager.default.isExecutableFile(atPath: fast) ? fast : lifeboat
    }

    /// The absolute path of this executable (restore_command must not depend on the server's PATH).
    static func executablePath() -> String {
        (try? DetachedProcess.currentExecutable()) ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
