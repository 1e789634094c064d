import BackupEngine
import Testing

@Suite("Segment header cross-check before archiving")
struct WALSegmentCheckTests {
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15, walSegmentSize: 1 << 20)
    static let system: UInt64 = 7_301_234_567_890_123_456

    @Test("given a segment of this cluster at its own position, when checked, then it passes; a history file passes unchecked")
    func passes() throws {
        let name = try #require(WALFileName("000000010000000000000009", segmentSize: 1 << 20))
        try WALSegmentCheck.check(SyntheticWAL.segment(system: Self.system, number: 9, segmentSize: 1 << 20), name: name, identity: Self.identity)
        try WALSegmentCheck.check(Array("1\t0/3000158\treason\n".utf8), name: .history(timeline: 2), identity: Self.identity)
    }

    @Test("given a segment that does not fit, when checked, then it is refused with the reason", arguments: [
        ("another cluster", SyntheticWAL.segment(system: 42, number: 9, segmentSize: 1 << 20), "cluster system 42"),
        ("renamed", SyntheticWAL.segment(system: system, number: 8, segmentSize: 1 << 20), "not 0/900000"),
        ("wrong size", SyntheticWAL.segment(system: system, number: 9, segmentSize: 1 << 20, length: 1 << 19), "524288 bytes"),
        ("other segment size", SyntheticWAL.segment(system: system, number: 9, segmentSize: 16 << 20, length: 1 << 20), "segment size"),
        ("no header", [UInt8](repeating: 0, count: 1 << 20), "page header"),
    ])
    func refused(what: String, bytes: [UInt8], expected: String) throws {
        let name = try #require(WALFileName("000000010000000000000009", segmentSize: 1 << 20))
        #expect {
            try WALSegmentCheck.check(bytes, name: name, identity: Self.identity)
        } throws: { error in
            (error as? LifeboatError)?.message.contains(expected) == true
        }
    }
}
