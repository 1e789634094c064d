@testable import BackupEngine
import Foundation
import LifeboatTesting
import Testing

@Suite("Base backups: following a tar stream")
struct TarStreamScannerTests {
    /// A real tar (GNU tar) of a folder holding backup_label, a 1000-byte file in a subfolder, an empty file and backup_manifest.
    static func makeTar(in dir: String) async throws -> [UInt8] {
        let root = dir + "/data"
        try FileManager.default.createDirectory(atPath: root + "/base/1", withIntermediateDirectories: true)
        try "START WAL LOCATION: 0/2000028 (file 000000010000000000000002)\nSTART TIMELINE: 1\n".write(toFile: root + "/backup_label", atomically: true, encoding: .utf8)
        try Data((0..<1000).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: root + "/base/1/1259"))
        try Data().write(to: URL(fileURLWithPath: root + "/empty"))
        try #"{"PostgreSQL-Backup-Manifest-Version": 1, "Files": [], "WAL-Ranges": []}"#.write(toFile: root + "/backup_manifest", atomically: true, encoding: .utf8)
        let child = try ChildProcess(executable: "/usr/bin/tar", arguments: ["-c", "-f", "-", "-C", root, "backup_label", "base", "empty", "backup_manifest"])
        let fd = child.stdoutFD
        let bytes = try await runBlocking { try FileDescriptorIO.readAll(fd) }
        try await child.checkSuccess("making a test tar")
        return bytes
    }

    @Test("given a real tar fed in chunks of any size, when scanned, then the wanted members are captured whole, files are counted and the end is seen", arguments: [1, 7, 511, 512, 513, 4096, 1 << 20])
    func scansInChunks(chunk: Int) async throws {
        try await withTemporaryDirectory { dir in
            let tar = try await Self.makeTar(in: dir)
            var scanner = TarStreamScanner(wanted: ["backup_label", "backup_manifest"])
            var offset = 0
            while offset < tar.count {
                scanner.feed(Array(tar[offset..<min(offset + chunk, tar.count)]))
                offset += chunk
            }
            #expect(scanner.malformed == nil)
            #expect(scanner.ended)
            #expect(scanner.files == 4)
            #expect(scanner.bytes == Int64(tar.count))
            let label = String(decoding: try #require(scanner.captured["backup_label"]), as: UTF8.self)
            #expect(try BackupLabel(text: label, what: "label").startLSN == LSN("0/2000028"))
            #expect(scanner.captured["backup_manifest"]?.count == 72)
            #expect(scanner.captured["base/1/1259"] == nil, "only wanted members are kept")
        }
    }

    @Test("given bytes that are not a tar, when scanned, then it is reported malformed")
    func notATar() {
        var scanner = TarStreamScanner(wanted: ["backup_label"])
        scanner.feed(Array(repeating: 0x41, count: 2048))
        #expect(scanner.malformed?.contains("checksum") == true)
        #expect(!scanner.ended)
    }
}
