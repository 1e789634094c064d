import Foundation
@testable import KubernetesTestServer

/// One request/response pair of a k8s-wire capture file.
struct WireExchange {
    var title: String
    var method: String
    var path: String
    var requestBody: String
    var status: Int
    var responseHeaders: [String: String]
    var responseBody: String

    /// The response body as the server sent it: whitespace outside strings removed.
    var compactResponse: String { WireSample.compact(responseBody) }
    var responseJSON: JSONValue? { try? JSONParser.parse(compactResponse) }
}

/// Reads the captures in `shared/k8s-wire` (kube-apiserver v1.36), the reference for the wire format.
enum WireSample {
    /// `K8S_WIRE_DIR`, else `shared/k8s-wire` found above this file, else `/work/shared/k8s-wire`.
    static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["K8S_WIRE_DIR"] { return URL(fileURLWithPath: env) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = dir.appendingPathComponent("shared/k8s-wire")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/work/shared/k8s-wire")
    }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses a capture file into its exchanges, in file order.
    static func load(_ file: String) throws -> [WireExchange] {
        let url = directory.appendingPathComponent(file)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw Missing(description: "k8s-wire sample \(url.path) not found; set K8S_WIRE_DIR to the samples folder")
        }
        var exchanges: [WireExchange] = []
        let sections = text.components(separatedBy: "\n=== ").dropFirst()
        for section in sections {
            let lines = section.components(separatedBy: "\n").filter { !$0.hasPrefix("#") }
            guard let reqStart = lines.firstIndex(of: ">>> request"),
                  let respStart = lines.firstIndex(of: "<<< response") else { continue }
            let requestLine = lines[reqStart + 1].split(separator: " ")
            var i = reqStart + 2
            while i < respStart, !lines[i].isEmpty { i += 1 }
            let requestBody = lines[min(i + 1, respStart)..<respStart].joined(separator: "\n")
            let statusLine = lines[respStart + 1].split(separator: " ")
            var headers: [String: String] = [:]
            var j = respStart + 2
            while j < lines.count, !lines[j].isEmpty {
                let parts = lines[j].split(separator: ":", maxSplits: 1)
                if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
                j += 1
            }
            let body = j + 1 < lines.count ? lines[(j + 1)...].joined(separator: "\n") : ""
            exchanges.append(WireExchange(
                title: lines[0], method: String(requestLine[0]), path: String(requestLine[1]),
                requestBody: requestBody.trimmingCharacters(in: .whitespacesAndNewlines),
                status: Int(statusLine[1]) ?? 0, responseHeaders: headers,
                responseBody: body.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return exchanges
    }

    /// Removes whitespace outside JSON strings (the samples are re-indented; the wire form is compact).
    static func compact(_ json: String) -> String {
        var out = ""
        var inString = false
        var escaped = false
        for ch in json {
            if inString {
                out.append(ch)
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
                out.append(ch)
            } else if !ch.isWhitespace {
                out.append(ch)
            }
        }
        return out
    }

    /// Every object key with its path, in order of appearance (array elements written as `[]`).
    static func keyPaths(_ json: String) -> [String] {
        let chars = Array(json.utf8)
        var i = 0
        var out: [String] = []
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        func skipWS() { while i < chars.count, [32, 10, 13, 9].contains(chars[i]) { i += 1 } }
        func readString() -> String {
            i += 1
            var bytes: [UInt8] = []
            while i < chars.count, chars[i] != quote {
                if chars[i] == backslash { bytes.append(chars[i]); i += 1 }
                bytes.append(chars[i]); i += 1
            }
            i += 1
            return String(decoding: bytes, as: UTF8.self)
        }
        func value(_ path: String) {
            skipWS()
            guard i < chars.count else { return }
            switch chars[i] {
            case UInt8(ascii: "{"):
                i += 1; skipWS()
                if i < chars.count, chars[i] == UInt8(ascii: "}") { i += 1; return }
                while i < chars.count {
                    skipWS()
                    let k = readString()
                    let p = path.isEmpty ? k : path + "." + k
                    out.append(p)
                    skipWS(); i += 1
                    value(p)
                    skipWS()
                    if i < chars.count, chars[i] == UInt8(ascii: ",") { i += 1; continue }
                    i += 1
                    return
                }
            case UInt8(ascii: "["):
                i += 1; skipWS()
                if i < chars.count, chars[i] == UInt8(ascii: "]") { i += 1; return }
                while i < chars.count {
                    value(path + "[]")
                    skipWS()
                    if i < chars.count, chars[i] == UInt8(ascii: ",") { i += 1; continue }
                    i += 1
                    return
                }
            case quote:
                _ = readString()
            default:
                while i < chars.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 32, 10].contains(chars[i]) { i += 1 }
            }
        }
        value("")
        return out
    }

    /// Whether the keys both documents share appear in the same relative order.
    static func sameKeyOrder(_ a: String, _ b: String, ignoring prefixes: [String] = []) -> Bool {
        let pa = keyPaths(a).filter { p in !prefixes.contains { p.hasPrefix($0) } }
        let pb = keyPaths(b).filter { p in !prefixes.contains { p.hasPrefix($0) } }
        let shared = Set(pa).intersection(pb)
        return pa.filter(shared.contains) == pb.filter(shared.contains)
    }
}
