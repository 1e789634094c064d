/// A compression or decompression failure, with a message a person can act on.
public struct CompressionError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name.
        public let name: String
        /// A compression level outside the algorithm's range.
        public static let invalidLevel = Code(name: "invalidLevel")
        /// A thread count below 1.
        public static let invalidThreads = Code(name: "invalidThreads")
        /// Compressed input that does not decode: wrong format, damaged bytes or a checksum mismatch.
        public static let corruptInput = Code(name: "corruptInput")
        /// Compressed input that ended before its last frame was complete.
        public static let truncatedInput = Code(name: "truncatedInput")
        /// The compression library failed for a reason unrelated to the data (for example out of memory).
        public static let libraryFailure = Code(name: "libraryFailure")
        /// The code's name.
        public var description: String { name }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The algorithm involved.
    public let algorithm: CompressionAlgorithm
    /// What happened and what to do, for a person.
    public let message: String

    /// Creates an error.
    public init(code: Code, algorithm: CompressionAlgorithm, message: String) {
        self.code = code
        self.algorithm = algorithm
        self.message = message
    }

    /// The message, prefixed by the algorithm.
    public var description: String { "\(algorithm.rawValue): \(message)" }
}
