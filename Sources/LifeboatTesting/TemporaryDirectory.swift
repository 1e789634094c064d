import BackupEngine
import Foundation

/// Runs `body` with a new private temporary folder, removed afterwards.
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = try TemporaryFiles.makeDirectory(prefix: "lifeboat-test")
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
