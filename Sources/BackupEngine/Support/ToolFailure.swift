/// Turns what a PostgreSQL tool or libpq said into an error a person can act on.
public enum ToolFailure {
    /// Classifies a failure message (a tool's stderr or a libpq error) into a `LifeboatError`.
    public static func classify(tool: String, what: String, status: Int32? = nil, stderr: String) -> LifeboatError {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let tail = lastLines(text, count: 6)
        let lower = text.lowercased()
        if lower.contains("password authentication failed") || lower.contains("no password supplied")
            || lower.contains("authentication failed for user")
        {
            return LifeboatError(
                .connection, "PostgreSQL refused the login while \(what): \(firstMatch(text, containing: "authentication") ?? tail)",
                hint: "check the user (PGUSER or -U) and the password (PGPASSWORD, a .pgpass file, or the credentials Secret)")
        }
        if lower.contains("connection refused") || lower.contains("could not connect") || lower.contains("could not translate host name")
            || lower.contains("no such file or directory\n\tis the server running") || lower.contains("is the server running")
            || lower.contains("timeout expired") || lower.contains("network is unreachable")
        {
            return LifeboatError(
                .connection, "cannot reach the PostgreSQL server while \(what): \(firstLine(text))",
                hint: "check that the server is running and that PGHOST/PGPORT (or -h/-p) point at it")
        }
        if let line = firstMatch(text, containing: "does not exist"), lower.contains("database") && line.contains("database") {
            return LifeboatError(
                .databaseMissing, "\(what): \(cleaned(line))",
                hint: "list the databases with `psql -l`, or back up every database with --all-databases")
        }
        if lower.contains("no space left on device") {
            return LifeboatError(.diskFull, "\(tool) ran out of disk space while \(what)", hint: "free space or grow the volume, then run again")
        }
        let exit = status.map { $0 > 128 ? "killed by signal \($0 - 128)" : "exit status \($0)" } ?? "failed"
        return LifeboatError(.tool, "\(tool) failed (\(exit)) while \(what)\(tail.isEmpty ? "" : ":\n\(tail)")")
    }

    private static func lastLines(_ text: String, count: Int) -> String {
        text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    private static func firstLine(_ text: String) -> String {
        cleaned(text.split(separator: "\n").first.map(String.init) ?? text)
    }

    private static func firstMatch(_ text: String, containing needle: String) -> String? {
        text.split(separator: "\n").map(String.init).first { $0.lowercased().contains(needle) }
    }

    /// Drops the "pg_dump: error: " style prefixes so the message reads as one sentence.
    private static func cleaned(_ line: String) -> String {
        var result = line
        for prefix in ["pg_dump: error: ", "pg_restore: error: ", "pg_dumpall: error: ", "psql: error: ", "FATAL:  ", "ERROR:  "] {
            if let range = result.range(of: prefix) { result = String(result[range.upperBound...]) }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
