@testable import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("wal-stream: the status object lifeboat check reads")
struct StreamStatusTests {
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15)

    static func sample() -> StreamStatus {
        var status = StreamStatus(slot: "lifeboat_app", identity: identity, partialIntervalSeconds: 5, updatedAt: Date(timeIntervalSince1970: 1_795_000_000.25))
        status.lastShippedLSN = LSN(0x3000A28)
        status.lastShippedWAL = "000000010000000000000003.partial"
        status.lastShippedAt = Date(timeIntervalSince1970: 1_795_000_000)
        status.timeline = 1
        status.slotLagBytes = 4096
        status.walStatus = "reserved"
        status.record(StreamGap(reason: .slotCreated, detectedAt: Date(timeIntervalSince1970: 1_795_000_000), from: LSN(0x2000000), to: LSN(0x3000000), message: "gap"))
        return status
    }

    @Test("given a status, when saved and loaded from a directory repository, then it is unchanged, found by slot and listed, with LSNs as text")
    func roundTrip() async throws {
        try await withTemporaryDirectory { dir in
            let repository = Repository(storage: try FileStorage(root: dir))
            #expect(try await StreamStatus.load(slot: "lifeboat_app", identity: Self.identity, from: repository) == nil)
            let status = Self.sample()
            try await status.save(identity: Self.identity, to: repository)
            var other = status
            other.slot = "another"
            try await other.save(identity: Self.identity, to: repository)
            #expect(try await StreamStatus.load(slot: "lifeboat_app", identity: Self.identity, from: repository) == status)
            #expect(try await StreamStatus.loadAll(identity: Self.identity, from: repository).map(\.slot) == ["another", "lifeboat_app"])
            let text = try String(contentsOfFile: dir + "/clusters/7301234567890123456-pg15/stream/lifeboat_app.json", encoding: .utf8)
            #expect(text.contains("\"lastShippedLSN\" : \"0/3000A28\""))
            #expect(text.contains("\"reason\" : \"slotCreated\""))
            // Saving again replaces the object: the only other replaceable object beside the partial segment.
            var newer = status
            newer.walStatus = "lost"
            try await newer.save(identity: Self.identity, to: repository)
            #expect(try await StreamStatus.load(slot: "lifeboat_app", identity: Self.identity, from: repository)?.walStatus == "lost")
        }
    }

    @Test("given more gaps than are kept, when recorded, then the oldest are dropped and the newest kept")
    func gapsBounded() {
        var status = Self.sample()
        for index in 0..<(StreamStatus.maximumGaps + 10) {
            status.record(StreamGap(reason: .slotLost, detectedAt: Date(), from: LSN(UInt64(index)), to: nil, message: "\(index)"))
        }
        #expect(status.gaps.count == StreamStatus.maximumGaps)
        #expect(status.gaps.last?.message == "\(StreamStatus.maximumGaps + 9)")
    }

    @Test("given a status object of a newer format or garbage, when decoded, then it is refused with a reason")
    func refusesUnknown() throws {
        let text = String(decoding: try Self.sample().encoded(), as: UTF8.self).replacingOccurrences(of: "lifeboat-stream-status/1", with: "lifeboat-stream-status/2")
        let newer = #expect(throws: LifeboatError.self) { try StreamStatus.decode(Array(text.utf8), path: "p") }
        #expect(newer?.code == .repository)
        #expect(newer?.hint?.contains("upgrade") == true)
        let garbage = #expect(throws: LifeboatError.self) { try StreamStatus.decode(Array("{".utf8), path: "p") }
        #expect(garbage?.code == .integrity)
    }
}
