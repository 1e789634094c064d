import Foundation
import KubernetesModels
import LifeboatController
import Testing

@Suite struct SecretKeyNamesTests {
    static let secretJSON = #"""
    {"kind":"Secret","apiVersion":"v1","metadata":{"name":"pg-backup","namespace":"prod","resourceVersion":"42"},
     "data":{"password":"c3VwZXItc2VjcmV0","username":"YmFja3Vw"},"stringData":{"extra":"plain-secret"},"type":"Opaque"}
    """#

    @Test func givenASecretFromTheAPIServer_whenDecodedForTheCache_thenOnlyItsKeyNamesRemain() throws {
        let secret = try JSONDecoder().decode(SecretKeyNames.self, from: Data(Self.secretJSON.utf8))
        #expect(secret.metadata.name == "pg-backup")
        #expect(secret.keys == ["password", "username", "extra"])
        let dumped = String(decoding: try JSONEncoder().encode(secret), as: UTF8.self) + String(describing: secret)
        #expect(!dumped.contains("c3VwZXItc2VjcmV0"))
        #expect(!dumped.contains("plain-secret"))
    }
}
