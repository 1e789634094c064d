import Foundation

extension WALArchive {
    /// Stores the current unfinished segment `segment` as `<segment>.partial`, REPLACING an earlier copy: the only
    /// replaceable WAL object. `wal-stream` rewrites it every few seconds so a server that dies loses at most that
    /// interval; `wal-fetch` serves it only when the complete `<segment>` is absent. Returns the stored size once
    /// durable.
    @discardableResult
    public func pushPartial(_ segment: WALFileName, plain: [UInt8], options: DataPathOptions) async throws -> Int {
        let name = segment.asPartial
        let path = path(name)
        let stored = try WALObject.encode(plain, name: name.description, path: path, options: options)
        try await repository.storage.writeAll(path: path, bytes: stored, createOnly: false)
        return stored.count
    }

    /// Removes `<segment>.partial` once the complete segment is durable (missing: nothing to do).
    public func deletePartial(_ segment: WALFileName) async throws {
        try await repository.storage.delete(paths: [path(segment.asPartial)])
    }
}

extension WALFileName {
    /// The same segment named as a partial file (`….partial`).
    public var asPartial: WALFileName {
        var copy = self
        copy.kind = .partial
        copy.backupOffset = nil
        return copy
    }

    /// The same segment named as a complete segment.
    public var asSegment: WALFileName {
        var copy = self
        copy.kind = .segment
        copy.backupOffset = nil
        return copy
    }
}
