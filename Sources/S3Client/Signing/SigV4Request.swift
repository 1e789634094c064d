/// A request to sign with AWS Signature Version 4, given as the client will send it.
public struct SigV4Request: Sendable, Hashable {
    /// The HTTP method (`GET`, `PUT` …).
    public var method: String
    /// The path, not percent-encoded (e.g. `/bucket/my key`); the signer encodes it.
    public var path: String
    /// The query parameters, not percent-encoded, in any order; a parameter without value has `""`.
    public var query: [SigV4QueryItem]
    /// The headers to sign, in the order given; repeated names are joined with `,` as SigV4 requires.
    public var headers: [SigV4Header]
    /// The lowercase hex SHA-256 of the body (`e3b0c442…` for an empty body).
    public var payloadSHA256: String

    /// Creates a request to sign.
    public init(method: String, path: String, query: [SigV4QueryItem] = [], headers: [SigV4Header], payloadSHA256: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadSHA256 = payloadSHA256
    }
}

/// One query parameter of a ``SigV4Request``, not percent-encoded.
public struct SigV4QueryItem: Sendable, Hashable {
    /// The parameter name.
    public var name: String
    /// The value (`""` for a bare parameter such as `?uploads`).
    public var value: String

    /// Creates a query item.
    public init(_ name: String, _ value: String = "") {
        self.name = name
        self.value = value
    }
}

/// One header of a ``SigV4Request``.
public struct SigV4Header: Sendable, Hashable {
    /// The header name, any case.
    public var name: String
    /// The header value as sent.
    public var value: String

    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The outcome of signing: the intermediate strings (for tests and debugging) and the headers to send.
///
/// `description` hides the Authorization header's signature so a signed request can be logged.
public struct SigV4Signature: Sendable, Hashable, CustomStringConvertible {
    /// The canonical request (task 1 of SigV4).
    public var canonicalRequest: String
    /// The string to sign (task 2).
    public var stringToSign: String
    /// The hex signature (task 3).
    public var signature: String
    /// The `;`-separated lowercase names of the signed headers.
    public var signedHeaders: String
    /// The value of the `Authorization` header.
    public var authorization: String
    /// Every header to send: the request's headers, the ones the signer added (`x-amz-date`,
    /// `x-amz-security-token`) and `Authorization`.
    public var headers: [SigV4Header]

    /// A description without the signature or any secret.
    public var description: String {
        "SigV4Signature(signedHeaders: \(signedHeaders), signature: <redacted>)"
    }
}
