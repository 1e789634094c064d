import Foundation

/// Finds the PostgreSQL client and server programs: `LIFEBOAT_PG_BINDIR`, then `pg_config --bindir`,
/// then Debian's `/usr/lib/postgresql/<major>/bin`, then `PATH`.
public struct PostgresBinaries: Sendable {
    /// The folder holding pg_dump, pg_restore, initdb, pg_ctl …
    public let directory: String

    /// Locates the binaries or explains what is missing.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PostgresBinaries {
        var candidates: [String] = []
        if let dir = environment["LIFEBOAT_PG_BINDIR"], !dir.isEmpty { candidates.append(dir) }
        if let dir = pgConfigBindir() { candidates.append(dir) }
        if let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") {
            for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) { candidates.append("/usr/lib/postgresql/\(version)/bin") }
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") { candidates.append(String(dir)) }
        for dir in candidates where FileManager.default.isExecutableFile(atPath: "\(dir)/pg_dump") {
            return PostgresBinaries(directory: dir)
        }
        throw LifeboatError(
            .tool, "PostgreSQL's programs (pg_dump, pg_restore, psql) were not found",
            hint: "install them (Debian/Ubuntu: apt-get install postgresql-client-15, or postgresql-15 for `lifeboat demo`), or point LIFEBOAT_PG_BINDIR at their folder")
    }

    /// Creates a set rooted at `directory`.
    public init(directory: String) { self.directory = directory }

    /// The full path of `tool`, checked to exist.
    public func path(_ tool: String) throws -> String {
        let path = "\(directory)/\(tool)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            let package = ["initdb", "pg_ctl", "postgres"].contains(tool) ? "postgresql-15 (the server package)" : "postgresql-client-15"
            throw LifeboatError(.tool, "\(tool) is not installed in \(directory)", hint: "install \(package), or set LIFEBOAT_PG_BINDIR")
        }
        return path
    }

    private static func pgConfigBindir() -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/local/pgsql/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/pg_config") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "\(dir)/pg_config")
            process.arguments = ["--bindir"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if process.terminationStatus == 0, !text.isEmpty { return text }
        }
        return nil
    }
}
