import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Restores a directory-format dump: its files are decoded into a local scratch folder, then
/// `pg_restore --jobs` restores them in parallel.
struct DirectoryRestore {
    let repository: Repository
    let pgRestore: String

    func run(
        manifest: BackupManifest, entry: BackupManifest.Database, arguments: [String], environment: [String: String],
        scratchRoot: String, keyring: EncryptionKeyring?, what: String, progress: ProgressReporter
    ) async throws {
        let scratch = try TemporaryFiles.makeDirectory(prefix: "lifeboat-restore", in: scratchRoot)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let needed = manifest.objects.filter { $0.database == entry.name && $0.role == "dump-file" }.reduce(Int64(0)) { $0 + $1.plainBytes }
        var info = statvfs()
        if statvfs(scratch, &info) == 0 {
            let free = Int64(info.f_bavail) * Int64(info.f_frsize)
            if free < needed {
                throw LifeboatError(.diskFull, "the scratch folder \(scratchRoot) has \(ByteFormat.string(free)) free; restoring this directory-format dump needs \(ByteFormat.string(needed))", hint: "point --scratch-dir at a larger volume")
            }
        }
        for object in manifest.objects where object.database == entry.name && object.role == "dump-file" {
            guard let file = object.fileName, !file.contains("/"), !file.hasPrefix(".") else {
                throw LifeboatError(.integrity, "backup \(manifest.id) has a malformed file entry \(object.name)")
            }
            let local = scratch + "/" + file
            let fd = open(local, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw FileDescriptorIO.posixError(errno, "writing \(local)") }
            defer { close(fd) }
            try await ObjectDecoder.read(object, of: manifest, from: repository, keyring: keyring, progress: progress) { plain in
                try await runBlocking { try FileDescriptorIO.write(fd, plain, what: "writing \(local)") }
            }
        }
        let child = try ChildProcess(executable: pgRestore, arguments: arguments + ["--format=directory", scratch], environment: environment, stdout: .null)
        try await child.checkSuccess(what)
    }
}
