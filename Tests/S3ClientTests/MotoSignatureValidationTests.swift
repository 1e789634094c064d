import Foundation
import LifeboatTesting
import Logging
import S3Client
import Testing

/// moto with IAM authentication on checks SigV4 signatures like S3 does: the client's requests are
/// accepted with the right secret and refused with `SignatureDoesNotMatch` with a wrong one.
///
/// moto's own check mis-computes some canonical requests (query strings, keys with spaces or
/// non-ASCII; botocore itself is refused there), so this test sticks to plain keys; the botocore
/// comparison covers the encoding rules.
@Suite("SigV4 checked by moto_server",
       .enabled(if: MotoServer.isAvailable && S3TestSupport.botocoreAvailable, "moto_server or botocore is not installed"))
struct MotoSignatureValidationTests {
    static let setUpScript = #"""
import json, sys
import botocore.session
endpoint = sys.argv[1]
session = botocore.session.get_session()
iam = session.create_client("iam", endpoint_url=endpoint, aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap", region_name="us-east-1")
iam.create_user(UserName="lifeboat")
key = iam.create_access_key(UserName="lifeboat")["AccessKey"]
policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
iam.put_user_policy(UserName="lifeboat", PolicyName="everything", PolicyDocument=json.dumps(policy))
s3 = session.create_client("s3", endpoint_url=endpoint, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
s3.create_bucket(Bucket="signed-bucket")
json.dump({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}, sys.stdout)
"""#

    struct Key: Decodable {
        var id: String
        var secret: String
    }

    @Test("given moto checking signatures, when the client signs with the right and a wrong secret, then moto accepts, then refuses")
    func motoValidatesSignatures() async throws {
        // The three IAM calls are the only unauthenticated actions moto allows.
        try await withMotoServer(environment: ["INITIAL_NO_AUTH_ACTION_COUNT": "3"]) { server in
            let python = try #require(S3TestSupport.python)
            let output = try S3TestSupport.run(python, ["-c", Self.setUpScript, server.endpoint.absoluteString], input: Data())
            let key = try JSONDecoder().decode(Key.self, from: output)
            func client(secret: String) -> S3Client {
                S3Client(
                    configuration: S3Configuration(
                        bucket: "signed-bucket", endpoint: server.endpoint,
                        credentials: S3Credentials(accessKeyId: key.id, secretAccessKey: secret), retryPolicy: .none),
                    logger: Logger(label: "s3-test"))
            }
            let good = client(secret: key.secret)
            let content = Array("signed content".utf8)
            try await good.putObject(key: "backups/object.bin", bytes: content, ifNoneMatch: true)
            #expect(try await good.getObject(key: "backups/object.bin") == content)
            #expect(try await good.headObject(key: "backups/object.bin")?.size == Int64(content.count))
            try await good.deleteObject(key: "backups/object.bin")

            let bad = client(secret: key.secret + "-wrong")
            let error = try await #require(throws: S3Error.self) {
                try await bad.putObject(key: "backups/object.bin", bytes: content)
            }
            #expect(error.code == .signatureDoesNotMatch)
            #expect(error.description.hasPrefix("S3 rejected the request signature (SignatureDoesNotMatch): check AWS_SECRET_ACCESS_KEY"))
            #expect(!error.description.contains(key.secret))
        }
    }
}
