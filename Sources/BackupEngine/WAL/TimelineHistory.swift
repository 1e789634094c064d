/// A timeline history file (`00000003.history`): for each ancestor timeline, the LSN where the next one branched off.
///
/// Each line is `parentTLI <tab> switchpoint <tab> reason`; comments start with `#`.
public struct TimelineHistory: Sendable, Hashable {
    /// One branch point.
    public struct Entry: Sendable, Hashable {
        /// An ancestor timeline.
        public var timeline: UInt32
        /// The first LSN that is no longer on `timeline` (its WAL up to here is shared with the child).
        public var switchpoint: LSN
        /// Free text PostgreSQL wrote (e.g. "no recovery target specified").
        public var reason: String
    }

    /// The timeline this file describes.
    public var timeline: UInt32
    /// Ancestors, oldest first.
    public var entries: [Entry]

    /// Parses the text of `timeline`'s history file.
    public init(timeline: UInt32, text: String) throws {
        self.timeline = timeline
        var entries: [Entry] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(maxSplits: 2, whereSeparator: { $0 == "\t" || $0 == " " })
            guard fields.count >= 2, let parent = UInt32(fields[0]), let lsn = LSN(String(fields[1])) else {
                throw LifeboatError(.integrity, "line \(number + 1) of the history file of timeline \(timeline) is not \"timeline<TAB>LSN<TAB>reason\": \(line)")
            }
            entries.append(Entry(timeline: parent, switchpoint: lsn, reason: fields.count > 2 ? String(fields[2]).trimmingCharacters(in: .whitespaces) : ""))
        }
        self.entries = entries
    }

    /// The timeline that holds `lsn` when following this history: the first ancestor whose switchpoint lies beyond it,
    /// else this timeline.
    public func timeline(containing lsn: LSN) -> UInt32 {
        entries.first { lsn < $0.switchpoint }?.timeline ?? timeline
    }

    /// Every timeline on the path from the oldest ancestor to this one.
    public var lineage: [UInt32] { entries.map(\.timeline) + [timeline] }
}

import Foundation
