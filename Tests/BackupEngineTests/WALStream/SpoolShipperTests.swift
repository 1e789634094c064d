@testable import BackupEngine
import Foundation
import LifeboatTesting
import Logging
import Testing

@Suite("wal-stream: shipping the spool into a directory repository")
struct SpoolShipperTests {
    static let size: UInt64 = 1 << 20
    static let identity = ClusterIdentity(systemIdentifier: "7301234567890123456", majorVersion: 15, walSegmentSize: size)

    /// Segment `number` whose first page carries a long header (page address, `system`, segment size), then `fill`
    /// bytes of pattern, then zeros.
    static func segment(_ number: UInt64, system: String = SpoolShipperTests.identity.systemIdentifier, fill: Int, seed: UInt8, length: Int = Int(size)) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: length)
        bytes[0] = 0x10; bytes[1] = 0xD1; bytes[2] = 0x02
        withUnsafeBytes(of: (number * size).littleEndian) { bytes.replaceSubrange(8..<16, with: $0) }
        withUnsafeBytes(of: UInt64(system)!.littleEndian) { bytes.replaceSubrange(24..<32, with: $0) }
        withUnsafeBytes(of: UInt32(size).littleEndian) { bytes.replaceSubrange(32..<36, with: $0) }
        for i in 40..<(40 + fill) { bytes[i] = UInt8(truncatingIfNeeded: i &* 31) ^ seed | 1 }
        return bytes
    }

    struct Fixture {
        let spool: WALSpool
        let archive: WALArchive
        let shipper: SpoolShipper

        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: spool.directory + "/" + name))
        }

        func spoolFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: spool.directory).sorted()
        }
    }

    func withFixture(_ body: (Fixture) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let repository = Repository(storage: try FileStorage(root: dir + "/repo"))
            let spool = WALSpool(directory: dir + "/spool", segmentSize: Self.size)
            try spool.prepare()
            let archive = WALArchive(repository: repository, identity: Self.identity)
            let shipper = SpoolShipper(spool: spool, archive: archive, options: try DataPathOptions(), logger: Logger(label: "test"))
            try await body(Fixture(spool: spool, archive: archive, shipper: shipper))
        }
    }

    @Test("given complete segments and a partial in the spool, when shipped, then the segments are archived byte-identical and leave the spool, and the partial is stored but stays")
    func shipsSegmentsAndPartial() async throws {
        try await withFixture { fixture in
            let two = Self.segment(2, fill: 900_000, seed: 2), three = Self.segment(3, fill: 1000, seed: 3)
            try fixture.write("000000010000000000000002", two)
            try fixture.write("000000010000000000000003.partial", three)
            let pass = try await fixture.shipper.ship(includePartial: true)
            #expect(pass.shipped == ["000000010000000000000002", "000000010000000000000003.partial"])
            #expect(pass.lastShippedLSN == LSN(3 * Self.size + 1040))
            #expect(pass.partialShipped)
            #expect(try fixture.spoolFiles() == ["000000010000000000000003.partial"])
            #expect(try await fixture.archive.fetch(WALFileName(timeline: 1, segmentNumber: 2, segmentSize: Self.size), keyring: nil) == two)
            #expect(try await fixture.archive.fetch(WALFileName(timeline: 1, segmentNumber: 3, segmentSize: Self.size, kind: .partial), keyring: nil) == three)

            let again = try await fixture.shipper.ship(includePartial: true)
            #expect(again.shipped.isEmpty, "an unchanged partial is not uploaded again")
        }
    }

    @Test("given the slot's flushed position, when the partial is shipped, then the position reported is that bound when it lies in the segment, else the last non-zero byte")
    func flushedBound() async throws {
        try await withFixture { fixture in
            try fixture.write("000000010000000000000003.partial", Self.segment(3, fill: 1000, seed: 3))
            let contentEnd = LSN(3 * Self.size + 1040)
            let beyond = try await fixture.shipper.ship(includePartial: true, flushedAtLeast: LSN(5 * Self.size))
            #expect(beyond.lastShippedLSN == contentEnd, "a bound in another segment says nothing about this one")
            let bounded = try await fixture.shipper.ship(includePartial: true, flushedAtLeast: LSN(3 * Self.size + 1048))
            #expect(bounded.shipped.isEmpty, "unchanged content is not stored again")
            #expect(bounded.lastShippedLSN == LSN(3 * Self.size + 1048), "trailing zero bytes of the last record count as shipped")
        }
    }

    @Test("given a partial that grew and then completed, when shipped each time, then the archived partial follows it and is removed once the complete segment is durable")
    func partialReplacedThenRemoved() async throws {
        try await withFixture { fixture in
            let name = WALFileName(timeline: 1, segmentNumber: 3, segmentSize: Self.size)
            try fixture.write("000000010000000000000003.partial", Self.segment(3, fill: 1000, seed: 3))
            _ = try await fixture.shipper.ship(includePartial: true)
            let grown = Self.segment(3, fill: 5000, seed: 3)
            try fixture.write("000000010000000000000003.partial", grown)
            let pass = try await fixture.shipper.ship(includePartial: true)
            #expect(pass.shipped == ["000000010000000000000003.partial"])
            #expect(try await fixture.archive.fetch(name.asPartial, keyring: nil) == grown)

            let complete = Self.segment(3, fill: 1_000_000, seed: 3)
            try FileManager.default.removeItem(atPath: fixture.spool.path(name.asPartial))
            try fixture.write("000000010000000000000003", complete)
            _ = try await fixture.shipper.ship(includePartial: true)
            #expect(try await fixture.archive.fetch(name, keyring: nil) == complete)
            #expect(try await fixture.archive.fetch(name.asPartial, keyring: nil) == nil)
            #expect(try fixture.spoolFiles().isEmpty)
        }
    }

    @Test("given a segment of another cluster in the spool, when shipped, then it is refused as a conflict and stays in the spool, unarchived")
    func foreignSegmentRefused() async throws {
        try await withFixture { fixture in
            try fixture.write("000000010000000000000002", Self.segment(2, system: "6999999999999999999", fill: 100, seed: 1))
            let error = await #expect(throws: LifeboatError.self) { try await fixture.shipper.ship(includePartial: true) }
            #expect(error?.code == .conflict)
            #expect(error?.message.contains("6999999999999999999") == true)
            #expect(try fixture.spoolFiles() == ["000000010000000000000002"])
            #expect(try await fixture.archive.list().isEmpty)
        }
    }

    @Test("given a truncated complete segment, when shipped, then it is refused as damaged and not archived")
    func truncatedSegmentRefused() async throws {
        try await withFixture { fixture in
            try fixture.write("000000010000000000000002", Self.segment(2, fill: 100, seed: 1, length: 4096))
            let error = await #expect(throws: LifeboatError.self) { try await fixture.shipper.ship(includePartial: true) }
            #expect(error?.code == .integrity)
            #expect(try await fixture.archive.list().isEmpty)
        }
    }

    @Test("given a segment already archived with other content, when shipped, then the conflict is reported and the spool keeps the file")
    func conflictingContentKept() async throws {
        try await withFixture { fixture in
            let name = WALFileName(timeline: 1, segmentNumber: 2, segmentSize: Self.size)
            _ = try await fixture.archive.push(name, plain: Self.segment(2, fill: 100, seed: 1), options: try DataPathOptions())
            try fixture.write(name.description, Self.segment(2, fill: 100, seed: 9))
            let error = await #expect(throws: LifeboatError.self) { try await fixture.shipper.ship(includePartial: false) }
            #expect(error?.code == .conflict)
            #expect(try fixture.spoolFiles() == [name.description])
        }
    }

    @Test("given a timeline switch in the spool, when shipped, then the history file and the old timeline's last partial are archived and that partial leaves the spool")
    func timelineSwitch() async throws {
        try await withFixture { fixture in
            let history = Array("1\t0/5000100\tno recovery target specified\n".utf8)
            try fixture.write("00000002.history", history)
            let oldLast = Self.segment(5, fill: 200, seed: 4)
            try fixture.write("000000010000000000000005.partial", oldLast)
            try fixture.write("000000020000000000000005.partial", Self.segment(5, fill: 300, seed: 5))
            _ = try await fixture.shipper.ship(includePartial: true)
            #expect(try await fixture.archive.history(timeline: 2, keyring: nil)?.entries.first?.switchpoint == LSN(0x5000100))
            #expect(try await fixture.archive.fetch(WALFileName(timeline: 1, segmentNumber: 5, segmentSize: Self.size, kind: .partial), keyring: nil) == oldLast)
            #expect(try fixture.spoolFiles() == ["00000002.history", "000000020000000000000005.partial"])
        }
    }
}
