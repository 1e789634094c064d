@testable import BackupEngine
import Testing

@Suite("wal-stream: restarting pg_receivewal")
struct ReceiverRestartPolicyTests {
    @Test("given pg_receivewal keeps dying at once, when restarted, then the wait doubles up to the maximum, and a long healthy run resets it")
    func backoff() {
        var policy = ReceiverRestartPolicy(initialDelay: 1, maximumDelay: 8, healthyRun: 60)
        let waits = (0..<6).map { _ in policy.nextDelay(afterRunOf: 0.5) }
        #expect(waits == [1, 2, 4, 8, 8, 8])
        #expect(policy.nextDelay(afterRunOf: 120) == 1)
        #expect(policy.nextDelay(afterRunOf: 1) == 2)
    }

    @Test("given what pg_receivewal said, when classified, then removed WAL and a missing slot are told apart from other failures", arguments: [
        ("pg_receivewal: error: unexpected termination of replication stream: ERROR:  requested WAL segment 000000010000000000000003 has already been removed", ReceiverRestartPolicy.Failure.walRemoved),
        ("pg_receivewal: error: could not send replication command \"START_REPLICATION\": ERROR:  replication slot \"lifeboat_app\" does not exist", .slotMissing),
        ("pg_receivewal: error: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused", .other),
        ("", .other),
    ])
    func classify(_ stderr: String, expected: ReceiverRestartPolicy.Failure) {
        #expect(ReceiverRestartPolicy.classify(stderr: stderr) == expected)
    }
}
