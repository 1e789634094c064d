import Foundation
import KubernetesModels

/// One line of a watch body, decoded in a single pass: the `type` first, then the `object`
/// as the resource, as a bookmark, or as the Status of an ERROR event.
struct WatchLine<Object: Decodable & Sendable>: Decodable {
    enum Payload {
        case update(WatchUpdate<Object>)
        case error(Status)
    }

    var payload: Payload

    private enum CodingKeys: String, CodingKey { case type, object }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED": payload = .update(.added(try container.decode(Object.self, forKey: .object)))
        case "MODIFIED": payload = .update(.modified(try container.decode(Object.self, forKey: .object)))
        case "DELETED": payload = .update(.deleted(try container.decode(Object.self, forKey: .object)))
        case "BOOKMARK": payload = .update(.bookmark(try container.decode(WatchBookmark.self, forKey: .object)))
        case "ERROR": payload = .error(try container.decode(Status.self, forKey: .object))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown watch event type \(type)")
        }
    }

    /// Decodes one line; an ERROR event becomes a thrown `KubernetesError`.
    static func parse(_ line: Data, label: String, decoder: JSONDecoder = JSONDecoder()) throws -> WatchUpdate<Object> {
        let decoded: WatchLine
        do {
            decoded = try decoder.decode(WatchLine.self, from: line)
        } catch {
            let preview = String(decoding: line.prefix(200), as: UTF8.self)
            throw KubernetesError(code: .decoding, message: "\(label): a watch line is not a valid event of \(Object.self): \(error); line starts: \(preview)", request: label, underlying: error)
        }
        switch decoded.payload {
        case .update(let update): return update
        case .error(let status): throw KubernetesError(status: status, request: label)
        }
    }
}
