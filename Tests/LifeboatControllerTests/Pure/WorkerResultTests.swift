import Foundation
import KubernetesModels
import LifeboatAPI
import Testing

@Suite struct WorkerResultTests {
    static let documented = #"""
        {"v":1,"command":"backup","ok":true,"backupId":"20261121T023000Z-logical","kind":"logical","databases":["orders","billing"],"startedAt":"2026-11-21T02:30:00Z","finishedAt":"2026-11-21T02:31:02Z","durationSeconds":1.5,"sizeBytes":1048576,"storedBytes":262144,"prune":{"ok":true,"deleted":1,"kept":7,"error":null},"error":null}
        """#

    @Test func givenTheDocumentedJSON_whenDecoded_thenEveryFieldIsRead() throws {
        let result = try WorkerResult.decode(terminationMessage: Self.documented)
        #expect(result.v == 1 && result.command == "backup" && result.ok)
        #expect(result.kind == .logical)
        #expect(result.databases == ["orders", "billing"])
        #expect(result.sizeBytes == 1_048_576 && result.storedBytes == 262_144)
        #expect(result.durationSeconds == 1.5)
        #expect(result.prune == WorkerResult.Prune(ok: true, deleted: 1, kept: 7))
        #expect(result.error == nil)
    }

    @Test func givenAResult_whenEncoded_thenPruneAndErrorAreExplicitNullsAndItRoundTrips() throws {
        let result = WorkerResult(command: "backup", ok: true, backupId: "b1", kind: .base)
        let data = try result.terminationMessage()
        let json = try JSONDecoder().decode(JSONValue.self, from: data)
        #expect(json["prune"] == .null)
        #expect(json["error"] == .null)
        #expect(json["databases"] == nil)
        #expect(try WorkerResult.decode(terminationMessage: String(decoding: data, as: UTF8.self)) == result)
    }

    @Test func givenTheControllersMinimalShellResult_whenDecoded_thenOkIsRead() throws {
        // 14d: the captured pod's message was written by `echo '{"ok":true}'`; v and command are required by this format.
        #expect(throws: DecodingError.self) { try WorkerResult.decode(terminationMessage: "{\"ok\":true}\n") }
        let result = try WorkerResult.decode(terminationMessage: "{\"v\":1,\"command\":\"check\",\"ok\":true}\n")
        #expect(result.command == "check")
    }

    @Test(arguments: [100, 4_000, 20_000, 100_000])
    func givenAHugeErrorMessage_whenEncodedForTheTerminationLog_thenItFitsAndKeepsNumbersAndIds(length: Int) throws {
        let message = String(repeating: "pg_dump: error: connection lost ", count: length / 32 + 1)
        let result = WorkerResult(
            command: "backup", ok: false, backupId: "b-42", kind: .logical, databases: ["orders"], sizeBytes: 12_345,
            prune: .init(ok: false, error: String(repeating: "p", count: length)), error: .init(code: "connection_failed", message: message)
        )
        let data = try result.terminationMessage()
        #expect(data.count <= WorkerResult.terminationMessageLimit)
        let decoded = try JSONDecoder().decode(WorkerResult.self, from: data)
        #expect(decoded.backupId == "b-42" && decoded.sizeBytes == 12_345 && decoded.ok == false)
        #expect(decoded.error?.code == "connection_failed")
        let decodedMessage = try #require(decoded.error?.message)
        #expect(decodedMessage.hasPrefix("pg_dump: error: connection lost"))
        let untruncated = try JSONEncoder().encode(result)
        if untruncated.count > WorkerResult.terminationMessageLimit {
            #expect(decodedMessage.hasSuffix(WorkerResult.truncationMarker))
        } else {
            #expect(decodedMessage == message)
        }
    }

    @Test func givenMultiByteAndControlCharacters_whenTruncated_thenTheJSONStaysValidAndFits() throws {
        let message = String(repeating: "Fehler: Verbindung verloren ✗ \u{1}\u{2}\"\\ ", count: 400)
        let result = WorkerResult(command: "backup", ok: false, error: .init(code: "x", message: message))
        let data = try result.terminationMessage(limit: 1_000)
        #expect(data.count <= 1_000)
        let decoded = try JSONDecoder().decode(WorkerResult.self, from: data)
        #expect(decoded.error?.message.hasSuffix("…") == true)
        #expect(decoded.error?.message.hasPrefix("Fehler: Verbindung verloren ✗") == true)
    }

    @Test func givenThousandsOfDatabases_whenEncoded_thenTheListIsCutWithACountAndItFits() throws {
        let databases = (0..<2_000).map { "database_number_\($0)" }
        let result = WorkerResult(command: "backup", ok: true, backupId: "b", kind: .logical, databases: databases)
        let data = try result.terminationMessage()
        #expect(data.count <= WorkerResult.terminationMessageLimit)
        let decoded = try JSONDecoder().decode(WorkerResult.self, from: data)
        let list = try #require(decoded.databases)
        #expect(list.first == "database_number_0")
        let last = try #require(list.last)
        #expect(last == "+\(2_000 - (list.count - 1)) more")
    }
}
