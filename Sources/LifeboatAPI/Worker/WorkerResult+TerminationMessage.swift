import Foundation

extension WorkerResult {
    /// The marker appended to a shortened text.
    public static let truncationMarker = "…"

    /// The result as compact JSON of at most `limit` bytes, for `/dev/termination-log`.
    ///
    /// When the full encoding is too long, the free texts (error message, prune error, check message) are shortened
    /// longest first and marked with "…"; then the database list is cut, ending with a "+N more" entry; as a last
    /// resort only `v`, `command`, `ok`, `kind`, `backupId` and a short error remain. Numbers, ids and times are
    /// never altered, so what the controller records stays true.
    public func terminationMessage(limit: Int = WorkerResult.terminationMessageLimit) throws -> Data {
        var result = self
        var data = try result.compactJSON()
        var rounds = 0
        while data.count > limit, rounds < 64 {
            rounds += 1
            let overflow = data.count - limit
            guard result.shortenLongestText(by: overflow) else { break }
            data = try result.compactJSON()
        }
        while data.count > limit, var databases = result.databases, databases.count > 1 {
            let dropped = Swift.max(1, databases.count / 2)
            let originalCount = self.databases?.count ?? databases.count
            if databases.last?.hasPrefix("+") == true { databases.removeLast() }
            databases = Array(databases.prefix(Swift.max(0, databases.count - dropped)))
            databases.append("+\(originalCount - databases.count) more")
            result.databases = databases
            data = try result.compactJSON()
        }
        if data.count > limit {
            var minimal = WorkerResult(v: v, command: command, ok: ok, backupId: backupId, kind: kind)
            if let error {
                minimal.error = Failure(code: String(error.code.prefix(64)), message: "message too long for the termination log; see the pod's log")
            }
            data = try minimal.compactJSON()
        }
        return data
    }

    /// Decodes a termination message written by `terminationMessage(limit:)`.
    public static func decode(terminationMessage: String) throws -> WorkerResult {
        try JSONDecoder().decode(WorkerResult.self, from: Data(terminationMessage.utf8))
    }

    private func compactJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The free texts that may be shortened.
    private enum TextSlot: CaseIterable {
        case errorMessage, pruneError, checkMessage
    }

    private func text(_ slot: TextSlot) -> String? {
        switch slot {
        case .errorMessage: error?.message
        case .pruneError: prune?.error
        case .checkMessage: check?.message
        }
    }

    private mutating func setText(_ slot: TextSlot, _ value: String) {
        switch slot {
        case .errorMessage: error?.message = value
        case .pruneError: prune?.error = value
        case .checkMessage: check?.message = value
        }
    }

    /// Cuts the longest free text by at least `bytes` UTF-8 bytes (plus the marker); false when nothing is left to cut.
    private mutating func shortenLongestText(by bytes: Int) -> Bool {
        let marker = Self.truncationMarker.utf8.count
        var longest: (slot: TextSlot, text: String)?
        for slot in TextSlot.allCases {
            guard let value = text(slot) else { continue }
            if value.utf8.count > (longest?.text.utf8.count ?? marker) { longest = (slot, value) }
        }
        guard let longest else { return false }
        let target = Swift.max(0, longest.text.utf8.count - bytes - marker)
        setText(longest.slot, Self.prefix(of: longest.text, maxBytes: target) + Self.truncationMarker)
        return true
    }

    /// The longest prefix of `text` made of whole characters and at most `maxBytes` UTF-8 bytes.
    static func prefix(of text: String, maxBytes: Int) -> String {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let size = text[index].utf8.count
            if used + size > maxBytes { break }
            used += size
            end = text.index(after: index)
        }
        return String(text[..<end])
    }
}
