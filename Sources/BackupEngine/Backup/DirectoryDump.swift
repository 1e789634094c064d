import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// pg_dump's directory format with parallel workers. pg_dump writes one file per table into a local
/// scratch folder; each file is uploaded through the data path as soon as pg_dump closes it (inotify
/// `IN_CLOSE_WRITE`) and then deleted, so the scratch space needed is about the largest table, not the database.
struct DirectoryDump {
    let repository: Repository
    let pgDump: String

    func run(
        database: String, stem: String, backupId: String, snapshot: String, jobs: Int, scratchRoot: String,
        environment: [String: String], request: LogicalBackupRequest, progress: ProgressReporter
    ) async throws -> [BackupManifest.Object] {
        try await checkScratchSpace(database: database, scratchRoot: scratchRoot, request: request)
        let scratch = try TemporaryFiles.makeDirectory(prefix: "lifeboat-dump", in: scratchRoot)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let output = scratch + "/dump"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
        let watcher = try CloseWatcher(folder: output)
        defer { watcher.close() }

        let args = ["--format=directory", "--compress=0", "--jobs=\(jobs)", "--no-password", "--snapshot=\(snapshot)", "--file=\(output)"] + request.selectionArguments
        let child = try ChildProcess(executable: pgDump, arguments: args, environment: environment, stdout: .null)
        let exited = NIOLockedValueBox<(Int32, String)?>(nil)
        var objects: [BackupManifest.Object] = []
        var uploaded = Set<String>()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let result = try await child.waitForExit()
                    exited.withLockedValue { $0 = result }
                }
                // Upload files as pg_dump closes them, until it has exited.
                while exited.withLockedValue({ $0 }) == nil {
                    for file in try await runBlocking({ try watcher.next(timeoutMilliseconds: 200) }) where !uploaded.contains(file) {
                        // toc.dat is rewritten at the end: take it only after pg_dump exits.
                        guard file != "toc.dat" else { continue }
                        objects.append(try await upload(file, from: output, stem: stem, database: database, backupId: backupId, request: request, progress: progress))
                        uploaded.insert(file)
                    }
                }
                try await group.waitForAll()
            }
            let (status, stderr) = exited.withLockedValue { $0 } ?? (1, "")
            guard status == 0 else {
                throw ToolFailure.classify(tool: "pg_dump", what: "dumping database \"\(database)\"", status: status, stderr: stderr)
            }
            let rest = try FileManager.default.contentsOfDirectory(atPath: output).filter { !uploaded.contains($0) }.sorted()
            for file in rest {
                objects.append(try await upload(file, from: output, stem: stem, database: database, backupId: backupId, request: request, progress: progress))
            }
            return objects
        } catch {
            child.terminate()
            throw error
        }
    }

    private func upload(
        _ file: String, from folder: String, stem: String, database: String, backupId: String, request: LogicalBackupRequest, progress: ProgressReporter
    ) async throws -> BackupManifest.Object {
        let name = "\(stem).dir/\(file)\(request.dataPath.objectSuffix)"
        let local = folder + "/" + file
        let fd = open(local, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "reading \(local)") }
        defer { close(fd) }
        let encoder = try await ObjectEncoder(path: repository.path(backup: backupId, object: name), storage: repository.storage, options: request.dataPath, progress: progress)
        do {
            let stats = try await encoder.drain(fd: fd)
            unlink(local)
            return BackupManifest.Object(name: name, role: "dump-file", database: database, fileName: file, plainBytes: stats.plainBytes, storedBytes: stats.storedBytes, sha256: stats.sha256)
        } catch {
            await encoder.abort()
            throw error
        }
    }

    /// Refuses to start when the scratch folder cannot hold the largest table uncompressed (with 20% headroom).
    private func checkScratchSpace(database: String, scratchRoot: String, request: LogicalBackupRequest) async throws {
        let connection = try await PGConnection.connect(request.connection, database: database)
        defer { connection.close() }
        let rows = try await connection.run("SELECT coalesce(max(pg_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relkind = 'r'")
        let largest = Int64((rows.first?.first ?? nil) ?? "0") ?? 0
        var info = statvfs()
        guard statvfs(scratchRoot, &info) == 0 else { throw FileDescriptorIO.posixError(errno, "checking free space in \(scratchRoot)") }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let needed = largest + largest / 5
        if free < needed {
            throw LifeboatError(
                .diskFull, "the scratch folder \(scratchRoot) has \(ByteFormat.string(free)) free; the directory format needs about \(ByteFormat.string(needed)) for database \"\(database)\" (its largest table, uncompressed, plus 20%)",
                hint: "point --scratch-dir at a larger volume, or use the custom format (no local copy)")
        }
    }
}

/// Reports files closed after writing in one folder (Linux inotify).
final class CloseWatcher: @unchecked Sendable {
    private let fd: Int32

    init(folder: String) throws {
        fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "watching \(folder)") }
        guard inotify_add_watch(fd, folder, UInt32(IN_CLOSE_WRITE)) >= 0 else {
            let code = errno
            Glibc.close(fd)
            throw FileDescriptorIO.posixError(code, "watching \(folder)")
        }
    }

    /// Names of files closed since the last call; waits up to `timeoutMilliseconds` for the first.
    func next(timeoutMilliseconds: Int32) throws -> [String] {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return [] }
        var names: [String] = []
        var offset = 0
        let header = MemoryLayout<inotify_event>.size
        while offset + header <= count {
            let length = buffer.withUnsafeBytes { Int($0.load(fromByteOffset: offset + 12, as: UInt32.self)) }
            if length > 0 {
                let nameBytes = buffer[(offset + header)..<(offset + header + length)].prefix { $0 != 0 }
                names.append(String(decoding: nameBytes, as: UTF8.self))
            }
            offset += header + length
        }
        return names
    }

    func close() { Glibc.close(fd) }
}
