/// One request as the server received it, for asserting what a client did.
public struct RecordedRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// The path without the query.
    public var path: String
    /// Decoded query parameters.
    public var query: [String: String]
    /// Headers with lower-cased names.
    public var headers: [String: String]
    /// The raw body.
    public var body: [UInt8]
    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
