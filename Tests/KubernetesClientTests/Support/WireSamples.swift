import Foundation

/// One request/response pair of a k8s-wire sample file.
struct WireExchange: Sendable {
    var title: String
    var request: WireMessage
    var response: WireMessage?
}

/// A request or response as captured: start line, headers, body.
struct WireMessage: Sendable {
    var startLine: String
    var headers: [(name: String, value: String)]
    /// The body with `#` note lines removed; empty when there is none.
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// `GET` of `GET /path?query HTTP/1.1`.
    var method: String { String(startLine.split(separator: " ")[0]) }
    /// `/path?query`.
    var target: String { String(startLine.split(separator: " ")[1]) }
    /// `/path`.
    var path: String { String(target.split(separator: "?", maxSplits: 1)[0]) }
    /// Decoded query pairs.
    var query: [QueryItem] {
        URLComponents(string: "http://x" + target)?.queryItems?.map { QueryItem(name: $0.name, value: $0.value ?? "") } ?? []
    }
    /// `404` of `HTTP/1.1 404 Not Found`.
    var statusCode: Int { Int(startLine.split(separator: " ")[1]) ?? 0 }
    /// True when the body was left out of the sample (`(body as in …)`, `(… omitted)`).
    var bodyIsPlaceholder: Bool { body.hasPrefix("(") }
}

/// A query parameter (`URLQueryItem` is not `Sendable`-friendly to compare in tables).
struct QueryItem: Hashable, Sendable, Comparable, CustomStringConvertible {
    var name: String
    var value: String
    static func < (lhs: QueryItem, rhs: QueryItem) -> Bool { (lhs.name, lhs.value) < (rhs.name, rhs.value) }
    var description: String { "\(name)=\(value)" }
}

/// Reads the captured samples in `shared/k8s-wire` (see its README for the format).
enum WireSamples {
    /// The sample folder: `$LIFEBOAT_K8S_WIRE`, else `shared/k8s-wire` beside the package or one level higher.
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["LIFEBOAT_K8S_WIRE"] {
            return URL(fileURLWithPath: override)
        }
        // #filePath = <package>/Tests/KubernetesClientTests/Support/WireSamples.swift
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            packageRoot.deletingLastPathComponent().appendingPathComponent("shared/k8s-wire"),
            packageRoot.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/k8s-wire"),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) } ?? candidates[0]
    }()

    /// Every exchange of a sample file, e.g. `exchanges("03-not-found")`.
    static func exchanges(_ name: String) throws -> [WireExchange] {
        let url = directory.appendingPathComponent(name.hasSuffix(".txt") ? name : name + ".txt")
        let text = try String(contentsOf: url, encoding: .utf8)
        return parse(text)
    }

    /// The exchange numbered `number` (the `=== n.` of its title).
    static func exchange(_ name: String, _ number: Int) throws -> WireExchange {
        let all = try exchanges(name)
        guard let found = all.first(where: { $0.title.hasPrefix("\(number).") }) else {
            throw SampleError(message: "\(name) has no exchange \(number)")
        }
        return found
    }

    struct SampleError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Parses the `=== title`, `>>> request`, `<<< response` format.
    static func parse(_ text: String) -> [WireExchange] {
        enum Section { case none, requestHead, requestBody, responseHead, responseBody }
        var exchanges: [WireExchange] = []
        var title = ""
        var section = Section.none
        var current: WireMessage?
        var request: WireMessage?
        var bodyLines: [String] = []

        func finishMessage() -> WireMessage? {
            guard var message = current else { return nil }
            while let last = bodyLines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { bodyLines.removeLast() }
            message.body = bodyLines.joined(separator: "\n")
            bodyLines = []
            current = nil
            return message
        }
        func finishExchange() {
            switch section {
            case .requestHead, .requestBody:
                request = finishMessage()
                if let request { exchanges.append(WireExchange(title: title, request: request, response: nil)) }
            case .responseHead, .responseBody:
                let response = finishMessage()
                if let request { exchanges.append(WireExchange(title: title, request: request, response: response)) }
            case .none:
                break
            }
            request = nil
            section = .none
        }

        for rawLine in text.components(separatedBy: "\n") {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : rawLine
            if line.hasPrefix("=== ") {
                finishExchange()
                title = line.dropFirst(4).trimmingCharacters(in: CharacterSet(charactersIn: "= "))
                continue
            }
            if line == ">>> request" {
                section = .requestHead
                current = WireMessage(startLine: "", headers: [], body: "")
                continue
            }
            if line == "<<< response" {
                request = finishMessage()
                section = .responseHead
                current = WireMessage(startLine: "", headers: [], body: "")
                continue
            }
            // Note lines belong to no message.
            if line.hasPrefix("#") { continue }
            switch section {
            case .none:
                continue
            case .requestHead, .responseHead:
                if current?.startLine.isEmpty ?? false {
                    current?.startLine = line
                } else if line.isEmpty {
                    section = section == .requestHead ? .requestBody : .responseBody
                } else if let colon = line.firstIndex(of: ":") {
                    let name = String(line[..<colon])
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    current?.headers.append((name, value))
                }
            case .requestBody, .responseBody:
                bodyLines.append(line)
            }
        }
        finishExchange()
        return exchanges
    }
}
