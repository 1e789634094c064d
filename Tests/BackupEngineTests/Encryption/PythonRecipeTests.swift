@testable import BackupEngine
import Foundation
import Testing

/// Proves docs/ENCRYPTION.md: its Python recipe, run as written, decrypts what ObjectEncryptor writes.
@Suite("The documented Python decryption recipe")
struct PythonRecipeTests {
    /// The recipe, cut from the document between its markers.
    static func recipe() throws -> String {
        let document = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/ENCRYPTION.md")
        let text = try String(contentsOf: document, encoding: .utf8)
        let begin = try #require(text.range(of: "<!-- recipe:begin -->\n```python\n"))
        let end = try #require(text.range(of: "```\n<!-- recipe:end -->", range: begin.upperBound..<text.endIndex))
        return String(text[begin.upperBound..<end.lowerBound])
    }

    struct Run {
        let status: Int32
        let output: [UInt8]
        let standardError: String
    }

    static func runRecipe(keyText: String, name: String, object: [UInt8]) throws -> Run {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = directory.file("lifeboat_decrypt.py")
        try recipe().write(to: script, atomically: true, encoding: .utf8)
        let keyFile = directory.file("master.key")
        try keyText.write(to: keyFile, atomically: true, encoding: .utf8)
        let objectFile = directory.file("object.enc")
        try writeBytes(object, to: objectFile)
        let outputFile = directory.file("object.plain")
        let result = try Tool.run("python3", [script.path, keyFile.path, name], input: objectFile, output: outputFile)
        return Run(status: result.status, output: try readBytes(outputFile), standardError: result.standardError)
    }

    static let name = "backups/20261121T100000Z/app.dump.zst"

    @Test("given an object Lifeboat encrypted, when the documented Python recipe decrypts it, then it gets the plaintext",
          arguments: [0, 1, 1 << 20, (5 << 19) + 333])
    func recipeDecrypts(size: Int) throws {
        let key = EncryptionKey.generate()
        let plaintext = TestData.pgbenchLike(count: size, seed: 61)
        var encryptor = ObjectEncryptor(key: key, objectName: Self.name)
        let object = try feed(&encryptor, plaintext, pieceSize: 1 << 20)
        let run = try Self.runRecipe(keyText: key.exported + "\n", name: Self.name, object: object)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(TestData.digest(run.output) == TestData.digest(plaintext))
    }

    @Test("given a hex key file, when the recipe decrypts, then it accepts the hex form too")
    func recipeAcceptsHex() throws {
        let raw: [UInt8] = (0..<32).map { UInt8(255 - $0) }
        let key = try EncryptionKey(rawKey: raw)
        let plaintext = TestData.pgbenchLike(count: 10_000, seed: 62)
        var encryptor = ObjectEncryptor(key: key, objectName: Self.name, chunkSize: 4_096)
        let object = try feed(&encryptor, plaintext, pieceSize: 3_000)
        let run = try Self.runRecipe(keyText: raw.map { String(format: "%02x", $0) }.joined(), name: Self.name, object: object)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.output == plaintext)
    }

    @Test("given a damaged, truncated, swapped or wrongly keyed object, when the recipe decrypts, then it fails")
    func recipeRefuses() throws {
        let key = EncryptionKey.generate()
        let plaintext = TestData.pgbenchLike(count: 9_000, seed: 63)
        var encryptor = ObjectEncryptor(key: key, objectName: Self.name, chunkSize: 2_048)
        let object = try feed(&encryptor, plaintext, pieceSize: 9_000)
        var tampered = object
        tampered[200] ^= 1
        let cases: [(String, String, [UInt8], String)] = [
            ("tampered", key.exported, tampered, "InvalidTag"),
            ("truncated", key.exported, Array(object.dropLast(30)), "truncated"),
            ("final chunk dropped", key.exported, Array(object.prefix(78 + 4 * (5 + 2_048 + 16))), "truncated"),
            ("trailing", key.exported, object + [0], "after the final chunk"),
            ("wrong key", EncryptionKey.generate().exported, object, "wrong key"),
        ]
        for (label, keyText, bytes, expected) in cases {
            let run = try Self.runRecipe(keyText: keyText, name: Self.name, object: bytes)
            #expect(run.status != 0, "\(label) was accepted")
            #expect(run.standardError.contains(expected), "\(label): \(run.standardError)")
        }
        let swapped = try Self.runRecipe(keyText: key.exported, name: "backups/20261121T100000Z/other.dump.zst", object: object)
        #expect(swapped.status != 0)
        #expect(swapped.standardError.contains("InvalidTag"))
    }

    @Test("given the recipe, then it derives the same key id as Lifeboat")
    func keyIDMatches() throws {
        let key = EncryptionKey.generate()
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = directory.file("id.py")
        try """
            import base64, hashlib, hmac, sys
            key = base64.b64decode(open(sys.argv[1]).read())
            sys.stdout.write(hmac.new(key, b"lifeboat key id v1", hashlib.sha256).digest()[:8].hex())
            """.write(to: script, atomically: true, encoding: .utf8)
        let keyFile = directory.file("master.key")
        try key.exported.write(to: keyFile, atomically: true, encoding: .utf8)
        let output = directory.file("id")
        #expect(try Tool.run("python3", [script.path, keyFile.path], output: output).status == 0)
        #expect(String(decoding: try readBytes(output), as: UTF8.self) == key.id)
    }
}
