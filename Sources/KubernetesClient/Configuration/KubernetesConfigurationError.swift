/// A configuration that cannot be used: a missing file, a kubeconfig without the named context,
/// a malformed certificate. The message names the file and the entry; it never contains a secret.
public struct KubernetesConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for a person to act on.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
