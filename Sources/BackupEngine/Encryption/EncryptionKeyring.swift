/// The master keys a reader may need: the current key (used to write) and previous keys kept
/// after a rotation so that older objects stay readable. A decryptor picks the key named by the
/// object's header.
public struct EncryptionKeyring: Sendable {
    /// The key new objects are written with.
    public let current: EncryptionKey
    /// Keys retired by rotation, still accepted for reading.
    public let previous: [EncryptionKey]

    /// Creates a keyring.
    public init(current: EncryptionKey, previous: [EncryptionKey] = []) {
        self.current = current
        self.previous = previous
    }

    /// The key with this id, if the keyring holds it.
    public func key(id: String) -> EncryptionKey? {
        if current.id == id { return current }
        return previous.first { $0.id == id }
    }

    /// The ids of every key in the keyring, current first.
    public var keyIDs: [String] { [current.id] + previous.map(\.id) }
}
