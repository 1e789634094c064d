import ArgumentParser
import BackupEngine
import Foundation
import Logging

/// Runs a command body: prints a `LifeboatError` as a sentence plus hint on stderr and exits with its code.
enum CommandRunner {
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as LifeboatError {
            report(error)
            throw ExitCode(error.exitCode)
        } catch {
            report(LifeboatError(.tool, "\(error)"))
            throw ExitCode(1)
        }
    }

    static func report(_ error: LifeboatError) {
        var text = "lifeboat: error: \(error.message)\n"
        if let hint = error.hint { text += "  hint: \(hint)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The process-wide logger: stderr, level from LIFEBOAT_LOG_LEVEL (default `notice`).
    static func logger(_ label: String) -> Logger {
        var logger = Logger(label: "lifeboat.\(label)")
        logger.logLevel = ProcessInfo.processInfo.environment["LIFEBOAT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        return logger
    }
}

/// Output switches shared by the commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print the result as JSON on stdout.")
    var json = false

    @Flag(name: [.customShort("q"), .long], help: "No progress output.")
    var quiet = false

    @Option(name: .customLong("result-file"), help: ArgumentHelp("Also write a short JSON result here (in Kubernetes: /dev/termination-log). Default: LIFEBOAT_RESULT_FILE.", valueName: "path"))
    var resultFile: String?

    var resultPath: String? { resultFile ?? ProcessInfo.processInfo.environment["LIFEBOAT_RESULT_FILE"] }

    func progress(_ phase: String) -> ProgressReporter {
        ProgressReporter(phase: phase, enabled: !quiet)
    }
}

/// Prints `value` as pretty JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = Timestamps.jsonEncoder()
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
