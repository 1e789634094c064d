import Foundation

/// Reads a bearer token from a file and re-reads it when the file changes.
///
/// Projected ServiceAccount tokens rotate (the kubelet swaps a symlink to a new file), so the
/// token is re-read when the resolved file's modification time, size or inode changes, and in
/// any case once `refreshInterval` has passed. A stat per request is cheap next to the request.
final class TokenFileSource: @unchecked Sendable {
    private let path: String
    private let refreshInterval: Duration
    private let lock = NSLock()
    // Guarded by `lock`.
    private var cached: (token: String, fingerprint: Fingerprint, readAt: ContinuousClock.Instant)?

    private struct Fingerprint: Equatable {
        var modified: Date?
        var size: UInt64?
        var inode: UInt64?
    }

    init(path: String, refreshInterval: Duration) {
        self.path = path
        self.refreshInterval = refreshInterval
    }

    /// The current token.
    func token() throws -> String {
        let fingerprint = currentFingerprint()
        let now = ContinuousClock.now
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.fingerprint == fingerprint, now - cached.readAt < refreshInterval {
            return cached.token
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubernetesError(code: .configuration, message: "bearer token file \(path) does not exist or is unreadable")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw KubernetesError(code: .configuration, message: "bearer token file \(path) is empty")
        }
        cached = (token, fingerprint, now)
        return token
    }

    /// Reads the file now, whatever its fingerprint; true when the token differs from the cached one.
    func reload() throws -> Bool {
        let previous = lock.withLock { () -> String? in
            defer { cached = nil }
            return cached?.token
        }
        return try token() != previous
    }

    private func currentFingerprint() -> Fingerprint {
        // Resolve the symlink chain (token -> ..data/token -> ..<timestamp>/token) so a swap shows up.
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: resolved) else {
            return Fingerprint()
        }
        return Fingerprint(
            modified: attributes[.modificationDate] as? Date,
            size: (attributes[.size] as? NSNumber)?.uint64Value,
            inode: (attributes[.systemFileNumber] as? NSNumber)?.uint64Value
        )
    }
}
