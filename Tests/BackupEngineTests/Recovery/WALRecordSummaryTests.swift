import BackupEngine
import Testing

@Suite("pg_waldump lines: commits, aborts and restore points")
struct WALRecordSummaryTests {
    @Test("given lines as pg_waldump 15 prints them with TZ=UTC, when parsed, then position, xid and kind are read", arguments: [
        ("rmgr: Transaction len (rec/tot):     34/    34, tx:        736, lsn: 0/01A2B3C8, prev 0/01A2B390, desc: COMMIT 2026-11-21 12:58:01.123456 UTC",
         "0/1A2B3C8", UInt64(736), "commit 2026-11-21 12:58:01.123456+00"),
        ("rmgr: Transaction len (rec/tot):    130/   130, tx:        737, lsn: 0/03000060, prev 0/03000028, desc: COMMIT 2026-11-21 12:58:02.5 UTC; inval msgs: catcache 80 catcache 79",
         "0/3000060", 737, "commit 2026-11-21 12:58:02.500000+00"),
        ("rmgr: Transaction len (rec/tot):     34/    34, tx:        738, lsn: 0/03000100, prev 0/03000060, desc: ABORT 2026-11-21 12:58:03.000001 UTC",
         "0/3000100", 738, "abort 2026-11-21 12:58:03.000001+00"),
        ("rmgr: XLOG        len (rec/tot):     98/    98, tx:          0, lsn: 0/04000028, prev 0/03FFFFA0, desc: RESTORE_POINT before-drop",
         "0/4000028", 0, "restore point before-drop"),
        ("rmgr: Heap        len (rec/tot):     54/   222, tx:        739, lsn: 0/04000090, prev 0/04000028, desc: INSERT off 3 flags 0x00, blkref #0: rel 1663/5/16384 blk 0 FPW",
         "0/4000090", 739, "other"),
    ])
    func parses(line: String, lsn: String, xid: UInt64, kind: String) throws {
        let record = try #require(WALRecordSummary.parse(line: line))
        #expect(record.lsn == LSN(lsn))
        #expect(record.xid == xid)
        let described: String
        switch record.kind {
        case .commit(let time): described = "commit \(time)"
        case .abort(let time): described = "abort \(time)"
        case .restorePoint(let name): described = "restore point \(name)"
        case .other: described = "other"
        }
        #expect(described == kind)
    }

    @Test("given lines that are not records, when parsed, then nothing is returned", arguments: [
        "pg_waldump: first record is after 0/3000028, at 0/3000060, skipping over 56 bytes",
        "pg_waldump: error: error in WAL record at 0/3000148: invalid record length at 0/3000180: wanted 24, got 0",
        "",
    ])
    func ignoresNoise(line: String) {
        #expect(WALRecordSummary.parse(line: line) == nil)
    }
}
