import Foundation

/// pg_basebackup's tar on its way into the repository: the first chunk is read before anything is stored, to find
/// `backup_label` (the tar's first member) and so the start LSN and timeline that name the backup's folder; then every
/// chunk is encoded and stored while the tar is followed to keep PostgreSQL's `backup_manifest` (its last member).
struct BaseBackupStream {
    /// `backup_label` of the backup.
    var label: BackupLabel
    /// The backup's folder in the repository.
    var folder: String
    /// The stored tar object.
    var stats: ObjectStats
    /// PostgreSQL's `backup_manifest`, when the tar held one.
    var postgresManifest: [UInt8]?

    /// Reads `fd` to its end and stores it as `objectName` in the backup's folder.
    static func store(
        fd: Int32, serverCompressed: Bool, identity: ClusterIdentity, id: String, objectName: String, repository: Repository,
        dataPath: DataPathOptions, progress: ProgressReporter
    ) async throws -> BaseBackupStream {
        let chunkSize = 1 << 20
        let first = try await runBlocking { try FileDescriptorIO.read(fd, capacity: chunkSize) }
        guard !first.isEmpty else {
            throw LifeboatError(.tool, "pg_basebackup wrote nothing")
        }
        var scanner = TarStreamScanner(wanted: ["backup_label", "backup_manifest"])
        if serverCompressed {
            // Only the head is decompressed, to read backup_label; the rest stays as the server compressed it.
            var head = ZstdDecompressor()
            let plain: [UInt8]
            do {
                plain = try head.update(first)
            } catch {
                throw LifeboatError(.integrity, "pg_basebackup's server-compressed output does not start with a zstd frame: \(error)")
            }
            scanner.feed(plain)
        } else {
            scanner.feed(first)
        }
        guard let labelBytes = scanner.captured["backup_label"], !labelBytes.isEmpty else {
            throw LifeboatError(.integrity, scanner.malformed.map { "pg_basebackup's output is not a tar stream: \($0)" } ?? "pg_basebackup's output does not start with backup_label")
        }
        let label = try BackupLabel(text: String(decoding: labelBytes, as: UTF8.self), what: "the backup_label of base backup \(id)")
        let folder = BaseBackup.folder(id: id, identity: identity, timeline: label.startTimeline)
        let encoder = try await ObjectEncoder(path: folder + objectName, storage: repository.storage, options: dataPath, progress: progress)
        do {
            try await encoder.write(first)
            var chunk = try await runBlocking { try FileDescriptorIO.read(fd, capacity: chunkSize) }
            while !chunk.isEmpty {
                // Read the next chunk while this one is scanned, compressed, encrypted and stored.
                async let next = runBlocking { try FileDescriptorIO.read(fd, capacity: chunkSize) }
                if !serverCompressed { scanner.feed(chunk) }
                try await encoder.write(chunk)
                chunk = try await next
            }
            let stats = try await encoder.finish()
            if !serverCompressed {
                if let problem = scanner.malformed { throw LifeboatError(.integrity, "pg_basebackup's output is not a readable tar stream: \(problem)") }
                guard scanner.ended else { throw LifeboatError(.tool, "pg_basebackup's tar stream ended early (no end-of-archive marker)") }
            }
            return BaseBackupStream(label: label, folder: folder, stats: stats, postgresManifest: serverCompressed ? nil : scanner.captured["backup_manifest"])
        } catch {
            await encoder.abort()
            throw error
        }
    }
}
