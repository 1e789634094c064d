import Foundation

extension WALFetcher {
    /// Whether the data directory is being recovered (PostgreSQL removes these files when recovery ends).
    public var isInRecovery: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/recovery.signal")
            || FileManager.default.fileExists(atPath: dataDirectory + "/standby.signal")
    }

    /// The foreground half of `wal-fetch --prefetch N --async`: serves `fileName` from the queue the
    /// ``WALBackgroundFetcher`` keeps filled, starting one (`startBackground`) when none runs. A segment the background
    /// fetcher is fetching right now is waited for rather than fetched twice; anything else it has not queued is
    /// fetched here as without a queue, with the same answers (absent only when the repository confirms it).
    public func fetchWithBackground(_ fileName: String, to destination: String, startBackground: () throws -> Void) async throws -> Outcome {
        guard settings.prefetch > 0, let name = WALFileName(fileName, segmentSize: identity.walSegmentSize), name.kind == .segment else {
            return try await fetch(fileName, to: destination)
        }
        let queue = self.queue
        try queue.recordRequest(name)
        queue.sweep(before: name)
        let location = repository.storage.location, system = identity.systemIdentifier
        func fromQueue() -> Outcome? {
            guard let bytes = queue.take(name, repository: location, systemIdentifier: system, to: destination) else { return nil }
            logger.info("restored \(name) from the prefetch queue", metadata: ["wal.file": "\(name)"])
            return .restored(bytes: bytes, source: .queue)
        }
        let running = ExclusiveFileLock.isHeld(queue.lockPath)
        if !running {
            // Without it, this call still answers on its own: a helper that cannot start must not stop recovery.
            do { try startBackground() } catch { logger.warning("cannot start the background fetcher: \(error)") }
        }
        if let served = fromQueue() { return served }
        if running {
            let deadline = ContinuousClock.now.advanced(by: settings.timeout)
            while queue.isFetching(name), ContinuousClock.now < deadline, ExclusiveFileLock.isHeld(queue.lockPath) {
                try await Task.sleep(for: .milliseconds(5))
            }
            if let served = fromQueue() { return served }
        }
        let outcome = try await Self.withDeadline(settings.timeout, what: "fetching \(name) from \(repository.storage.location)") {
            try await self.fetchRetrying(name, to: destination)
        }
        if outcome == .absent { queue.clearEntries() }
        return outcome
    }
}
