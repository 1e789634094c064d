import Foundation
import Logging
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// Unpacks a base backup from the repository into an empty data directory: storage → SHA-256 check → decryption →
/// decompression (ours, or the server's zstd for `compressionSide == "server"`) → `tar -x`, in one streaming pass.
///
/// The data directory ends up with mode 0700 and owned by the calling user (tar's `--no-same-owner`); a caller
/// running as root hands it to the server's user afterwards. Recovery settings are not written here (that is PITR's
/// job): the directory holds the base backup exactly, with its `backup_label`, and needs WAL from
/// `physical.startLSN` to `physical.stopLSN` to become consistent.
public struct BaseBackupExtractor: Sendable {
    /// The repository holding the backup.
    public let repository: Repository
    /// Where `pg_verifybackup` is looked up (nil: `PostgresBinaries.locate()` when needed).
    public let binaries: PostgresBinaries?
    /// Logger for progress notes.
    public let logger: Logger

    /// Creates an extractor.
    public init(repository: Repository, binaries: PostgresBinaries? = nil, logger: Logger = Logger(label: "lifeboat.extract")) {
        self.repository = repository
        self.binaries = binaries
        self.logger = logger
    }

    /// Unpacks the base backup `manifest` into `dataDirectory`, which must be missing or empty.
    ///
    /// Every stored byte is checked against the manifest's SHA-256 (and authenticated when encrypted) before the
    /// extraction is reported good. With `verify` and PostgreSQL's `backup_manifest` present, `pg_verifybackup
    /// --no-parse-wal` then checks every file's size and checksum. On failure the directory's contents are removed
    /// again (the directory itself is left if it existed before).
    public func extract(
        _ manifest: BackupManifest, into dataDirectory: String, keyring: EncryptionKeyring?, verify: Bool = true,
        progress: ProgressReporter? = nil
    ) async throws -> ExtractedBaseBackup {
        guard manifest.kind == .base, let physical = manifest.physical else {
            throw LifeboatError(.invalidInput, "backup \(manifest.id) is a \(manifest.kind.rawValue) backup, not a base backup", hint: "choose a base backup (`lifeboat list` shows the kind)")
        }
        guard let object = manifest.objects.first(where: { $0.role == BaseBackup.tarRole }) else {
            throw LifeboatError(.integrity, "base backup \(manifest.id) lists no \(BaseBackup.tarRole) object in its manifest")
        }
        let existed = try Self.prepareEmptyDirectory(dataDirectory)
        // Writing into a tar that died must give EPIPE (reported with tar's own words), never kill this process.
        signal(SIGPIPE, SIG_IGN)
        do {
            let tar = try ChildProcess(executable: Self.tarPath, arguments: ["-x", "-f", "-", "-C", dataDirectory, "--no-same-owner", "--delay-directory-restore"], stdin: .pipe, stdout: .null)
            let fd = tar.stdinFD
            let state = NIOLockedValueBox(ExtractState(serverCompressed: physical.compressionSide == "server"))
            do {
                try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: keyring, progress: progress) { plain in
                    // Plaintext comes in small slices; tar gets it in batches of a megabyte (fewer thread hops and writes).
                    let tarBytes = try state.withLockedValue { state -> [UInt8] in
                        let bytes = try state.decompress(plain)
                        state.scanner.feed(bytes)
                        guard !state.tarGone else { return [] }
                        state.pending.append(contentsOf: bytes)
                        guard state.pending.count >= Self.batchSize else { return [] }
                        defer { state.pending.removeAll(keepingCapacity: true) }
                        return state.pending
                    }
                    guard !tarBytes.isEmpty else { return }
                    do {
                        try await runBlocking { try FileDescriptorIO.write(fd, tarBytes, what: "feeding tar") }
                    } catch {
                        // tar stopped reading: the rest is still read and checksummed, so a damaged object is reported as such.
                        state.withLockedValue { $0.tarGone = true }
                    }
                }
                let rest = try state.withLockedValue { state -> [UInt8] in
                    let bytes = try state.finishDecompression()
                    state.scanner.feed(bytes)
                    return state.tarGone ? [] : state.pending + bytes
                }
                if !rest.isEmpty { try await runBlocking { try FileDescriptorIO.write(fd, rest, what: "feeding tar") } }
            } catch {
                tar.closeStdin()
                tar.terminate()
                _ = try? await tar.waitForExit()
                throw error
            }
            tar.closeStdin()
            try await tar.checkSuccess("unpacking base backup \(manifest.id) into \(dataDirectory)")
            let scanned = state.withLockedValue { $0.scanner }
            if let problem = scanned.malformed {
                throw LifeboatError(.integrity, "base backup \(manifest.id) is not a readable tar stream: \(problem)")
            }
            chmod(dataDirectory, 0o700)
            var verified = false
            if verify, physical.postgresManifest, FileManager.default.fileExists(atPath: dataDirectory + "/backup_manifest") {
                let tool = try (binaries ?? PostgresBinaries.locate()).path("pg_verifybackup")
                progress?.setPhase("pg_verifybackup")
                _ = try await ChildProcess.run(tool, ["--no-parse-wal", "--quiet", dataDirectory], what: "verifying base backup \(manifest.id) in \(dataDirectory) with pg_verifybackup")
                verified = true
            }
            logger.info("base backup extracted", metadata: ["backup.id": "\(manifest.id)", "files": "\(scanned.files)", "bytes": "\(scanned.bytes)"])
            return ExtractedBaseBackup(manifest: manifest, dataDirectory: dataDirectory, plainBytes: scanned.bytes, files: scanned.files, verifiedWithPostgresManifest: verified)
        } catch {
            Self.clear(dataDirectory, remove: !existed)
            throw error
        }
    }

    /// Bytes handed to tar at a time.
    static let batchSize = 1 << 20

    /// GNU tar.
    static let tarPath = ["/usr/bin/tar", "/bin/tar"].first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/bin/tar"

    /// Makes sure `path` is an empty directory (creating it, mode 0700, when missing); returns whether it existed.
    static func prepareEmptyDirectory(_ path: String) throws -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw LifeboatError(.invalidInput, "cannot create the data directory \(path): \((error as NSError).localizedDescription)", hint: "check the parent folder exists and is writable")
            }
            return false
        }
        guard isDirectory.boolValue else {
            throw LifeboatError(.invalidInput, "\(path) is a file, not a directory", hint: "give the path of an empty or missing data directory")
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? []
        guard entries.isEmpty else {
            let shown = entries.prefix(8).joined(separator: ", ") + (entries.count > 8 ? ", … (\(entries.count) entries)" : "")
            throw LifeboatError(.invalidInput, "the data directory \(path) is not empty (it holds \(shown)); a base backup is only restored into an empty one",
                                hint: "choose a new directory, or move its contents away first if they are no longer needed")
        }
        return true
    }

    private static func clear(_ path: String, remove: Bool) {
        if remove {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            try? FileManager.default.removeItem(atPath: path + "/" + entry)
        }
    }

    /// Decompression of the server's zstd (if any) and the tar scan, touched by one reader at a time.
    private struct ExtractState: @unchecked Sendable {
        var serverDecompressor: ZstdDecompressor?
        var scanner = TarStreamScanner()
        var tarGone = false
        /// Plaintext not yet written to tar.
        var pending: [UInt8] = []

        init(serverCompressed: Bool) {
            serverDecompressor = serverCompressed ? ZstdDecompressor() : nil
        }

        mutating func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
            guard serverDecompressor != nil else { return bytes }
            do {
                return try serverDecompressor!.update(bytes)
            } catch {
                throw LifeboatError(.integrity, "the server-compressed tar of this base backup does not decompress: \(error)")
            }
        }

        mutating func finishDecompression() throws -> [UInt8] {
            guard serverDecompressor != nil else { return [] }
            do {
                return try serverDecompressor!.finish()
            } catch {
                throw LifeboatError(.integrity, "the server-compressed tar of this base backup is truncated: \(error)")
            }
        }
    }
}
