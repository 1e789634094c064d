import ArgumentParser
import BackupEngine
import Foundation

/// The master key: from a file or an environment variable, never from an argument.
struct EncryptionOptions: ParsableArguments {
    @Option(name: .customLong("encryption-key-file"), help: ArgumentHelp("File holding the 256-bit master key (64 hex digits or base64). Default: the key in LIFEBOAT_ENCRYPTION_KEY; without either, backups are not encrypted.", valueName: "path"))
    var keyFile: String?

    @Option(name: .customLong("old-encryption-key-file"), help: ArgumentHelp("A previous master key, to read backups written before a key rotation (repeatable).", valueName: "path"))
    var oldKeyFiles: [String] = []

    /// The current key, if any.
    func key() throws -> EncryptionKey? {
        do {
            if let keyFile { return try EncryptionKey.load(fromFile: keyFile) }
            return try EncryptionKey.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch let error as EncryptionError {
            throw LifeboatError(.encryptionKey, error.message)
        }
    }

    /// Every key given, for reading.
    func keyring() throws -> EncryptionKeyring? {
        let current = try key()
        let previous: [EncryptionKey]
        do {
            previous = try oldKeyFiles.map { try EncryptionKey.load(fromFile: $0) }
        } catch let error as EncryptionError {
            throw LifeboatError(.encryptionKey, error.message)
        }
        guard let first = current ?? previous.first else { return nil }
        return EncryptionKeyring(current: first, previous: current == nil ? Array(previous.dropFirst()) : previous)
    }
}
