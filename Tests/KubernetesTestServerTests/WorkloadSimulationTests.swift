import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("CronJob, Job and kubelet stand-ins")
struct WorkloadSimulationTests {
    static let cron = #"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"orders-backup"},"spec":{"schedule":"* * * * *","timeZone":"Europe/Berlin","concurrencyPolicy":"Forbid","jobTemplate":{"metadata":{"labels":{"lifeboat.dev/policy":"orders"}},"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"backup","image":"busybox"}]}}}}}}"#

    @Test("given a CronJob, when a run is scheduled and succeeds, then Job, Pod and CronJob status look like 14c–14f")
    func givenCronJob_whenRunSucceeds_thenObjectsAsSamples() async throws {
        try await withServer { server, client in
            let created = try await client.send("POST", "/apis/batch/v1/namespaces/demo/cronjobs", body: Self.cron)
            let rv = created.resourceVersion!
            let scheduled = Date(timeIntervalSince1970: 29_920_912 * 60)  // 2026-11-21T09:52:00Z, sample 14c
            let watch = try await client.watch("/apis/batch/v1/namespaces/demo/jobs?watch=1&resourceVersion=\(rv)", timeout: 3,
                                               until: { $0.count >= 2 }) {
                let job = try server.runCronJob(namespace: "demo", name: "orders-backup", scheduledAt: scheduled)
                #expect(job[path: "metadata", "name"] == "orders-backup-29920912")
                #expect(job[path: "metadata", "annotations", "batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-11-21T10:52:00+01:00")
                #expect(job[path: "metadata", "labels", "lifeboat.dev/policy"] == "orders")
                #expect(job[path: "metadata", "labels", "job-name"] == "orders-backup-29920912")
                #expect(job[path: "metadata", "ownerReferences"]?.arrayValue?.first?["uid"] == created["metadata", "uid"])
                let running = try await client.send("GET", "/apis/batch/v1/namespaces/demo/cronjobs/orders-backup")
                #expect(running["status", "active"]?.arrayValue?.first?["name"] == "orders-backup-29920912")
                #expect(running["status", "lastScheduleTime"] == "2026-11-21T09:52:00Z")
                #expect(running["metadata", "generation"] == .int(1))
                _ = try server.finishJob(namespace: "demo", name: "orders-backup-29920912", exitCode: 0, terminationMessage: "{\"ok\":true}\n")
            }
            #expect(watch.types == ["ADDED", "MODIFIED"])
            let job = try await client.send("GET", "/apis/batch/v1/namespaces/demo/jobs/orders-backup-29920912")
            #expect(job["status", "conditions"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["SuccessCriteriaMet", "Complete"])
            #expect(job["status", "succeeded"] == .int(1) && job["status", "completionTime"] != nil)
            let pods = try await client.send("GET", "/api/v1/namespaces/demo/pods?labelSelector=job-name%3Dorders-backup-29920912")
            let pod = try #require(pods["items"]?.arrayValue?.first)
            #expect(pod[path: "status", "phase"] == "Succeeded")
            #expect(pod[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "terminated", "message"] == "{\"ok\":true}\n")
            #expect(pod[path: "metadata", "ownerReferences"]?.arrayValue?.first?["kind"] == "Job")
            let cron = try await client.send("GET", "/apis/batch/v1/namespaces/demo/cronjobs/orders-backup")
            #expect(cron["status", "active"] == nil && cron["status", "lastSuccessfulTime"] != nil)
        }
    }

    @Test("given a Job, when its pod fails with exit 3, then FailureTarget and Failed with BackoffLimitExceeded (15a, 15b)")
    func givenJob_whenPodFails_thenFailedConditions() async throws {
        try await withServer { server, client in
            _ = try await client.send("POST", "/apis/batch/v1/namespaces/demo/jobs", body: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"failing-backup"},"spec":{"backoffLimit":0,"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"backup","image":"busybox"}]}}}}"#)
            let (job, pod) = try server.finishJob(namespace: "demo", name: "failing-backup", exitCode: 3, terminationMessage: "disk full\n")
            let expected = try WireSample.load("15a-job-failed.txt")[1].responseJSON!
            #expect(normalized(job["status"]!, keys: ["lastProbeTime", "lastTransitionTime", "startTime"])
                    == normalized(expected["status"]!, keys: ["lastProbeTime", "lastTransitionTime", "startTime"]))
            let terminated = pod[path: "status", "containerStatuses"]?.arrayValue?.first?[path: "state", "terminated"]
            #expect(terminated?["exitCode"] == .int(3) && terminated?["reason"] == "Error" && terminated?["message"] == "disk full\n")
            #expect(pod[path: "status", "phase"] == "Failed")
            #expect(throws: WorkloadSimulationError.self) { try server.finishJob(namespace: "demo", name: "nope", exitCode: 0, terminationMessage: "") }
            // Seeding directly goes through the same defaults and validation as a POST.
            let secret = try server.create(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "pg", "namespace": "demo"],
                                            "stringData": ["password": "x"]])
            #expect(secret["type"] == "Opaque" && secret[path: "metadata", "resourceVersion"] != nil)
            #expect(secret["data"] == ["password": "eA=="] && secret["stringData"] == nil, "stringData is folded into data")
            #expect(try await client.send("GET", "/api/v1/namespaces/demo/secrets/pg").status == 200)
            #expect(throws: WorkloadSimulationError.self) { try server.create(["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "pg", "namespace": "demo"]]) }
        }
    }
}
