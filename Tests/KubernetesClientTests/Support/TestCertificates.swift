import Foundation

/// A throwaway self-signed EC certificate and key (CN lifeboat-test-client, SAN 127.0.0.1),
/// generated for these tests only. It protects nothing.
enum TestCertificates {
    static let certificatePEM = """
-----BEGIN CERTIFICATE-----
MIIB4zCCAYmgAwIBAgIUPjr49ph2zGVOJdPDmtk6RjEIVEAwCgYIKoZIzj0EAwIw
ODEdMBsGA1UEAwwUbGlmZWJvYXQtdGVzdC1jbGllbnQxFzAVBgNVBAoMDnN5c3Rl
bTptYXN0ZXJzMCAXDTI2MTEyMTEwMTYxMVoYDzIxMjYxMDI4MTAxNjExWjA4MR0w
GwYDVQQDDBRsaWZlYm9hdC10ZXN0LWNsaWVudDEXMBUGA1UECgwOc3lzdGVtOm1h
c3RlcnMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQObCNKfP0HSyEQe8podWQN
vOS9rMJkaL6OaJHfz6n/ZrkGMCPZb487PDTvPLzldHsWAaW+DtUTgL8n5630AJ5S
o28wbTAdBgNVHQ4EFgQUjuFOPErYbIKV4poAUTl5imUCFVkwHwYDVR0jBBgwFoAU
juFOPErYbIKV4poAUTl5imUCFVkwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzAR
hwR/AAABgglsb2NhbGhvc3QwCgYIKoZIzj0EAwIDSAAwRQIhAPpNbTSE3p8lhjC1
nyZobD6BQmexrSLWzKam1y0d7y/yAiA4VZHRZScOmRhbOP4K9WUwxK1mT+N80RIy
Wq3/wI9P6g==
-----END CERTIFICATE-----
"""

    static let keyPEM = """
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgFGfMgbtLqepaozQX
d6fdbi/4RkHUKWZYQWiEQrI5HG2hRANCAAQObCNKfP0HSyEQe8podWQNvOS9rMJk
aL6OaJHfz6n/ZrkGMCPZb487PDTvPLzldHsWAaW+DtUTgL8n5630AJ5S
-----END PRIVATE KEY-----
"""

    static var certificateBase64: String { Data(certificatePEM.utf8).base64EncodedString() }
    static var keyBase64: String { Data(keyPEM.utf8).base64EncodedString() }
}
