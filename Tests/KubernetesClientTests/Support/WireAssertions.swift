import Foundation
import KubernetesModels
import Testing
import Yams

/// Compares what the client sent with what the capture sent.
enum WireAssertions {
    /// Method, path, query (order-free; `fieldManager` only compared when the capture has one),
    /// Content-Type, and the body as JSON (YAML for apply bodies), all equal.
    static func expectSameRequest(_ sent: ReceivedRequest, _ captured: WireMessage, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(sent.method == captured.method, sourceLocation: sourceLocation)
        #expect(sent.path == captured.path, sourceLocation: sourceLocation)
        let capturedQuery = captured.query.sorted()
        var sentQuery = sent.query
        if !capturedQuery.contains(where: { $0.name == "fieldManager" }) {
            sentQuery.removeAll { $0.name == "fieldManager" }
        }
        #expect(sentQuery.sorted() == capturedQuery, sourceLocation: sourceLocation)
        #expect(sent.header("Accept") == "application/json", sourceLocation: sourceLocation)
        #expect(sent.header("User-Agent")?.hasPrefix("lifeboat-controller/") == true, sourceLocation: sourceLocation)
        #expect(sent.header("Content-Type") == captured.header("Content-Type"), sourceLocation: sourceLocation)
        if captured.body.isEmpty {
            #expect(sent.body.isEmpty, "the capture sent no body", sourceLocation: sourceLocation)
        } else if !captured.bodyIsPlaceholder {
            let sentValue = try JSONDecoder().decode(JSONValue.self, from: sent.body)
            let capturedValue = try parseBody(captured.body, contentType: captured.header("Content-Type"))
            #expect(sentValue == capturedValue, sourceLocation: sourceLocation)
        }
    }

    /// A captured body as JSON; apply bodies were sent as YAML.
    static func parseBody(_ text: String, contentType: String?) throws -> JSONValue {
        if contentType == "application/apply-patch+yaml" {
            return jsonValue(fromYAML: try Yams.load(yaml: text) as Any)
        }
        return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    private static func jsonValue(fromYAML value: Any) -> JSONValue {
        switch value {
        case let dictionary as [String: Any]: return .object(dictionary.mapValues(jsonValue(fromYAML:)))
        case let array as [Any]: return .array(array.map(jsonValue(fromYAML:)))
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .number(Double(int))
        case let double as Double: return .number(double)
        case let string as String: return .string(string)
        default: return .null
        }
    }
}
