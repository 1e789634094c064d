/// The command line of `wal-push` or `wal-fetch` as far as the fast path needs it. Only the options those commands
/// document are understood; anything else (help, an unknown option, a malformed value) makes `parse` return nil, and
/// the full `lifeboat` then reads the command line and says what is wrong.
public struct FastPathArguments: Equatable, Sendable {
    /// `wal-push` or `wal-fetch`.
    public var command: String
    /// The positional arguments (`%p`, or `%f %p`).
    public var positional: [String] = []
    /// Option values by long name (without the dashes); flags map to "true" or "false".
    public var options: [String: String] = [:]

    static let valued: Set<String> = [
        "repo", "s3-endpoint", "s3-region", "s3-storage-class", "encryption-key-file", "pgdata",
        "parallel", "spool-dir", "compression", "compression-level",
        "prefetch", "queue-dir", "attempts", "retry-delay", "timeout",
    ]
    static let flags: Set<String> = ["async", "s3-path-style", "no-s3-path-style"]

    /// Parses `arguments` (without the program name); nil when anything is outside what the fast path knows.
    public static func parse(_ arguments: [String]) -> FastPathArguments? {
        guard let command = arguments.first, command == "wal-push" || command == "wal-fetch" else { return nil }
        var result = FastPathArguments(command: command)
        var index = 1
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard word.hasPrefix("-") else {
                result.positional.append(word)
                continue
            }
            guard word.hasPrefix("--"), word.count > 2 else { return nil }
            var name = String(word.dropFirst(2))
            var inline: String?
            if let equals = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flags.contains(name), inline == nil {
                if name == "no-s3-path-style" { result.options["s3-path-style"] = "false" } else { result.options[name] = "true" }
            } else if valued.contains(name) {
                if let inline {
                    result.options[name] = inline
                } else {
                    guard index < arguments.count else { return nil }
                    result.options[name] = arguments[index]
                    index += 1
                }
            } else {
                return nil
            }
        }
        let expected = command == "wal-push" ? 1 : 2
        return result.positional.count == expected ? result : nil
    }

    /// An option from the command line, else the environment variable, else nil.
    public func value(_ option: String, _ variable: String?, environment: [String: String]) -> String? {
        if let value = options[option] { return value }
        if let variable, let value = environment[variable], !value.isEmpty { return value }
        return nil
    }

    /// Whether a yes/no setting is on; nil when its value is not one lifeboat accepts (the full lifeboat says so).
    public func isOn(_ option: String, _ variable: String, environment: [String: String]) -> Bool? {
        if options[option] == "true" { return true }
        guard let text = environment[variable], !text.isEmpty else { return false }
        return Self.yesNo(text)
    }

    /// A yes/no value as lifeboat reads its environment: 1/true/yes/on or 0/false/no/off, any case; nil otherwise.
    public static func yesNo(_ text: String) -> Bool? {
        let lowered = text.lowercased()
        if ["1", "true", "yes", "on"].contains(lowered) { return true }
        if ["0", "false", "no", "off"].contains(lowered) { return false }
        return nil
    }

    /// The repository as configured, in the words `lifeboat` records with every acknowledgement and queue entry
    /// (`RepositoryOptions.origin` builds the same text): a file written for another configuration is never trusted.
    public func origin(environment: [String: String]) -> String {
        Self.origin(repo: value("repo", "LIFEBOAT_REPO", environment: environment),
                    endpoint: value("s3-endpoint", "LIFEBOAT_S3_ENDPOINT", environment: environment),
                    region: options["s3-region"] ?? [environment["LIFEBOAT_S3_REGION"], environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]]
                        .compactMap { $0 }.first,
                    pathStyle: options["s3-path-style"] ?? environment["LIFEBOAT_S3_PATH_STYLE"])
    }

    /// The text of an origin.
    public static func origin(repo: String?, endpoint: String?, region: String?, pathStyle: String?) -> String {
        "repo=\(repo ?? "")|s3-endpoint=\(endpoint ?? "")|s3-region=\(region ?? "")|s3-path-style=\(pathStyle ?? "")"
    }
}
