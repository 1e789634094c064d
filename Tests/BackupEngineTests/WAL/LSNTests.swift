import BackupEngine
import Foundation
import Testing

@Suite("LSN: parse, print, order")
struct LSNTests {
    @Test("given PostgreSQL's text form, when parsed and printed, then the value and the text round-trip", arguments: [
        ("0/0", UInt64(0)), ("16/B374D848", UInt64(0x16_B374_D848)), ("0/3000028", UInt64(0x300_0028)),
        ("FFFFFFFF/FFFFFFFF", UInt64.max), ("1/0", UInt64(1) << 32),
    ])
    func roundTrip(text: String, value: UInt64) throws {
        let lsn = try #require(LSN(text))
        #expect(lsn.value == value)
        #expect(lsn.description == text)
        #expect(LSN(value).description == text)
    }

    @Test("given lower-case hex, when parsed, then it is accepted and printed in upper case as PostgreSQL does")
    func lowerCase() throws {
        #expect(try #require(LSN("16/b374d848")).description == "16/B374D848")
    }

    @Test("given text that is not an LSN, when parsed, then nil", arguments: [
        "", "/", "0/", "/0", "16B374D848", "1/2/3", "G/0", "123456789/0", "0/123456789", " 0/1", "-1/0",
    ])
    func invalid(text: String) {
        #expect(LSN(text) == nil)
    }

    @Test("given two positions, when compared, then the order is by the 64-bit value, not by the text")
    func order() throws {
        let positions = try ["2/0", "0/FFFFFFFF", "10/1", "0/A", "1/0"].map { try #require(LSN($0)) }
        #expect(positions.sorted().map(\.description) == ["0/A", "0/FFFFFFFF", "1/0", "2/0", "10/1"])
    }

    @Test("given an LSN in JSON, when encoded and decoded, then it is its text form, and bad text is refused")
    func codable() throws {
        let data = try JSONEncoder().encode(["lsn": LSN(0x16_B374_D848)])
        #expect(String(decoding: data, as: UTF8.self) == #"{"lsn":"16\/B374D848"}"#)
        #expect(try JSONDecoder().decode([String: LSN].self, from: data)["lsn"]?.value == 0x16_B374_D848)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: LSN].self, from: Data(#"{"lsn":"x"}"#.utf8)) }
    }

    @Test("given an LSN, when its segment number is asked for 16 MiB and 1 MiB segments, then it is the position divided by the size")
    func segmentNumber() throws {
        let lsn = try #require(LSN("16/B374D848"))
        #expect(lsn.segmentNumber(segmentSize: 16 << 20) == 0x16_B374_D848 >> 24)
        #expect(lsn.segmentNumber(segmentSize: 1 << 20) == 0x16_B374_D848 >> 20)
    }
}
