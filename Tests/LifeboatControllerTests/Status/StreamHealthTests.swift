import Foundation
import KubernetesModels
import LifeboatAPI
import LifeboatController
import Testing

@Suite struct StreamHealthTests {
    /// Sample 15b's Pod relabelled as the WAL streamer of `orders`, with `state` and `lastState`.
    static func streamer(state: ContainerState, lastState: ContainerState? = nil, restarts: Int32 = 0, trigger: String = "schedule") throws -> Pod {
        var pod = try StatusFixtures.decode(Pod.self, "15b-pod-failed.txt")
        pod.metadata.name = "orders-wal-stream-7d9f-abcde"
        pod.metadata.labels = WorkloadLabels.labels(policyName: "orders", kind: .walStream, trigger: trigger)
        pod.status?.containerStatuses?[0].state = state
        pod.status?.containerStatuses?[0].lastState = lastState
        pod.status?.containerStatuses?[0].restartCount = restarts
        return pod
    }

    static func terminated(_ message: String?, exitCode: Int32 = 1) -> ContainerState {
        ContainerState(terminated: ContainerStateTerminated(exitCode: exitCode, reason: "Error", message: message))
    }

    @Test func givenAStreamerInCrashLoopWhoseLastRunWroteAnError_whenRead_thenTheWorkersErrorIsTheReason() throws {
        let result = WorkerResult(command: "wal-stream", ok: false, error: .init(code: "slot_missing", message: "replication slot \"orders_slot\" does not exist"))
        let message = String(decoding: try result.terminationMessage(), as: UTF8.self) + "\n"
        let waiting = ContainerState(waiting: ContainerStateWaiting(reason: "CrashLoopBackOff", message: "back-off 40s"))
        let pod = try Self.streamer(state: waiting, lastState: Self.terminated(message), restarts: 4)
        let failure = try #require(StreamHealth.failure(in: [pod]))
        #expect(failure.contains("keeps crashing (CrashLoopBackOff)"))
        let later = try Self.streamer(state: waiting, lastState: Self.terminated(message), restarts: 5)
        #expect(StreamHealth.failure(in: [later]) == failure)
        #expect(failure.contains("replication slot \"orders_slot\" does not exist (slot_missing)"))

        var policy = StatusFixtures.policy(wal: .stream)
        policy.metadata.name = "orders"
        let update = StatusComputer(policy: policy, now: Date()).compute(current: nil, observation: StatusObservation(streamFailure: failure))
        #expect(update.status.condition(.walArchiving)?.reason == "WALStalled")
        #expect(update.events.map(\.reason).contains("WALStalled"))
    }

    @Test func givenARunningStreamerThatCrashedBefore_whenRead_thenItIsNotAFailure() throws {
        let running = ContainerState(running: ContainerStateRunning(startedAt: "2026-11-21T10:00:00Z"))
        #expect(StreamHealth.failure(in: [try Self.streamer(state: running, lastState: Self.terminated("boom"), restarts: 1)]) == nil)
    }

    @Test func givenAFailedSlotCleanupPod_whenRead_thenItIsNotTheStreamer() throws {
        #expect(StreamHealth.failure(in: [try Self.streamer(state: Self.terminated("boom"), trigger: "cleanup")]) == nil)
        #expect(StreamHealth.failure(in: [try Self.streamer(state: Self.terminated("disk full\n"))])?.contains("exit code 1: disk full") == true)
    }
}
