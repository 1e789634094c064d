/// The path of WAL that recovery to one timeline follows: each ancestor timeline from where it began to where the
/// next one branched off, then the target timeline to the end (from its history file).
///
/// For segment number `s`, PostgreSQL reads the file of the newest timeline on this path that had begun by `s`
/// (the segment holding a switchpoint is read from the child timeline, which carries a copy of the parent's WAL up to
/// the switchpoint); `timeline(ofSegment:)` says which.
public struct TimelineLineage: Sendable, Hashable {
    /// One timeline on the path.
    public struct Span: Sendable, Hashable {
        /// The timeline.
        public var timeline: UInt32
        /// Where it began (0 for the first timeline, else its parent's switchpoint).
        public var begin: LSN
        /// Where the next timeline on the path branched off; nil for the target timeline.
        public var end: LSN?
    }

    /// The timelines, oldest first; the last is the target.
    public var spans: [Span]

    /// The target timeline.
    public var target: UInt32 { spans.last?.timeline ?? 1 }

    /// The path to `timeline` described by `history` (nil for a timeline without a history file: only itself).
    public init(timeline: UInt32, history: TimelineHistory?) {
        var spans: [Span] = []
        var begin = LSN(0)
        for entry in history?.entries ?? [] {
            spans.append(Span(timeline: entry.timeline, begin: begin, end: entry.switchpoint))
            begin = entry.switchpoint
        }
        spans.append(Span(timeline: timeline, begin: begin, end: nil))
        self.spans = spans
    }

    /// The timelines, oldest first.
    public var timelines: [UInt32] { spans.map(\.timeline) }

    /// The timeline whose file holds segment `segmentNumber` on this path.
    public func timeline(ofSegment segmentNumber: UInt64, segmentSize: UInt64) -> UInt32 {
        spans.last { $0.begin.segmentNumber(segmentSize: segmentSize) <= segmentNumber }?.timeline ?? spans[0].timeline
    }

    /// The file name of segment `segmentNumber` on this path.
    public func segment(_ segmentNumber: UInt64, segmentSize: UInt64) -> WALFileName {
        WALFileName(timeline: timeline(ofSegment: segmentNumber, segmentSize: segmentSize), segmentNumber: segmentNumber, segmentSize: segmentSize)
    }

    /// Whether WAL written on `timeline` from `start` to `stop` lies on this path (a base backup taken there can
    /// recover along it): the timeline is on the path, had begun by `start`, and had not branched off before `stop`.
    public func contains(timeline: UInt32, from start: LSN, to stop: LSN) -> Bool {
        guard let span = spans.first(where: { $0.timeline == timeline }) else { return false }
        return span.begin <= start && (span.end.map { stop <= $0 } ?? true)
    }
}
