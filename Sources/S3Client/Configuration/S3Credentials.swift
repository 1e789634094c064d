import Foundation

/// Credentials used to sign S3 requests with AWS Signature Version 4.
///
/// `description` and `debugDescription` never print the secret access key or the session token, so a
/// value can be logged or interpolated into an error message safely.
public struct S3Credentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The access key id (`AKIA…`); not secret, printed in descriptions.
    public var accessKeyId: String
    /// The secret access key; never printed.
    public var secretAccessKey: String
    /// The session token of temporary credentials (`x-amz-security-token`); never printed.
    public var sessionToken: String?

    /// Creates credentials from their parts.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and the optional `AWS_SESSION_TOKEN`.
    ///
    /// - Throws: ``S3CredentialsError`` naming the missing variables when a required one is unset or empty.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> S3Credentials {
        let accessKey = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secretKey = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        var missing: [String] = []
        if accessKey == nil { missing.append("AWS_ACCESS_KEY_ID") }
        if secretKey == nil { missing.append("AWS_SECRET_ACCESS_KEY") }
        guard let accessKey, let secretKey else {
            throw S3CredentialsError(missingVariables: missing)
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return S3Credentials(accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: token)
    }

    /// A description that names the access key id and hides the secrets.
    public var description: String {
        "S3Credentials(accessKeyId: \(accessKeyId), secretAccessKey: <redacted>\(sessionToken == nil ? "" : ", sessionToken: <redacted>"))"
    }

    /// Same as ``description``: secrets are never printed, not even for debugging.
    public var debugDescription: String { description }
}

/// Thrown by ``S3Credentials/fromEnvironment(_:)`` when credentials are missing from the environment.
public struct S3CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The environment variables that were unset or empty.
    public var missingVariables: [String]

    /// Creates the error for the given missing variables.
    public init(missingVariables: [String]) {
        self.missingVariables = missingVariables
    }

    /// A message a person can act on.
    public var description: String {
        "S3 credentials are missing: set \(missingVariables.joined(separator: " and ")) "
            + "(and AWS_SESSION_TOKEN for temporary credentials) in the environment"
    }
}
