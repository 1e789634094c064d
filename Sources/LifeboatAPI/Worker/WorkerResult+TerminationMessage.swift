import Foundation

extension WorkerResult {
    /// The marker appended to a shortened text.
    public static let truncationMarker = "…"

    /// The bytes each free text keeps at least before the database list is cut.
    static let reservedTextBytes = 256

    /// The result as compact JSON of at most `limit` bytes, for `/dev/termination-log`.
    ///
    /// When the full encoding is too long: the database list is cut (ending with a "+N more" entry) until it leaves
    /// room for 256 bytes of each free text; then the free texts (error message, prune error, check message) are
    /// cut to the largest common length that fits and marked with "…"; as a last resort only `v`, `command`, `ok`,
    /// `kind`, `backupId` and a short error remain. Numbers, ids and times are never altered, so what the
    /// controller records stays true.
    public func terminationMessage(limit: Int = WorkerResult.terminationMessageLimit) throws -> Data {
        var result = self
        var data = try result.compactJSON()
        if data.count <= limit { return data }
        let originalCount = databases?.count ?? 0
        while var list = result.databases, list.count > 1, try result.capped(Self.reservedTextBytes).compactJSON().count > limit {
            if list.last?.hasPrefix("+") == true { list.removeLast() }
            list = Array(list.prefix(list.count / 2))
            list.append("+\(originalCount - list.count) more")
            result.databases = list
        }
        // Binary search for the largest per-text byte cap that fits, so long texts are cut evenly and a short
        // error message is not sacrificed to a long prune error.
        var low = 0
        var high = TextSlot.allCases.map { result.text($0)?.utf8.count ?? 0 }.max() ?? 0
        while low < high {
            let cap = (low + high + 1) / 2
            if try result.capped(cap).compactJSON().count <= limit { low = cap } else { high = cap - 1 }
        }
        result = result.capped(low)
        data = try result.compactJSON()
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

    /// A copy whose free texts are at most `cap` UTF-8 bytes, marker included; shorter texts are unchanged.
    private func capped(_ cap: Int) -> WorkerResult {
        var copy = self
        let marker = Self.truncationMarker.utf8.count
        for slot in TextSlot.allCases {
            guard let value = text(slot), value.utf8.count > cap else { continue }
            copy.setText(slot, Self.prefix(of: value, maxBytes: Swift.max(0, cap - marker)) + Self.truncationMarker)
        }
        return copy
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
