/// An encryption, decryption or key-handling failure. Messages name objects and key ids, never key material.
public struct EncryptionError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String
        /// Key material that is not 32 bytes, or a key file or variable in the wrong format.
        public static let invalidKey = Code(name: "invalidKey")
        /// A key file that cannot be read.
        public static let keyUnreadable = Code(name: "keyUnreadable")
        /// The object was written with a key that is not in the keyring.
        public static let keyMismatch = Code(name: "keyMismatch")
        /// The bytes do not start with the Lifeboat encryption magic: not an encrypted object.
        public static let notEncrypted = Code(name: "notEncrypted")
        /// The object uses a format version this build cannot read.
        public static let unsupportedVersion = Code(name: "unsupportedVersion")
        /// The header failed authentication: the object was written under another name (swapped or
        /// renamed objects) or its header was modified.
        public static let wrongObject = Code(name: "wrongObject")
        /// A chunk failed authentication: modified, reordered, duplicated or from another object.
        public static let chunkAuthenticationFailed = Code(name: "chunkAuthenticationFailed")
        /// The framing is impossible (a bad flag or length): the bytes were modified.
        public static let malformed = Code(name: "malformed")
        /// The input ended before the final chunk: the object is truncated.
        public static let truncated = Code(name: "truncated")
        /// Bytes follow the final chunk.
        public static let trailingData = Code(name: "trailingData")
        /// The cryptographic library failed for a reason unrelated to the data.
        public static let cryptoFailure = Code(name: "cryptoFailure")
        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure this is.
    public let code: Code
    /// What happened and what to do, for a person. Never contains key material.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
