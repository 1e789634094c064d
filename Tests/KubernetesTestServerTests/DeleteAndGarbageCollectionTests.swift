import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Delete, finalizers and garbage collection")
struct DeleteAndGarbageCollectionTests {
    static let bp = BackupPolicyCRD.bp
    static let cms = "/api/v1/namespaces/demo/configmaps"

    @Test("given a finalizer, then DELETE marks the object, a repeat is a no-op, new finalizers are 422 and removing the last deletes it (12a–12c)")
    func givenFinalizer_thenDeferredDeletion() async throws {
        let samples = try WireSample.load("12b-finalizers-remove.txt")
        try await withServer { server, client in
            let created = try await client.send("POST", Self.bp, body: #"{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","metadata":{"name":"fin-demo","finalizers":["lifeboat.dev/cleanup"]},"spec":{"schedule":"@daily"}}"#)
            let from = Int(created.resourceVersion!)! - 1
            let path = Self.bp + "/fin-demo"
            let watch = try await client.watch(Self.bp + "?watch=1&resourceVersion=\(from)&fieldSelector=metadata.name%3Dfin-demo", timeout: 4,
                                               until: { $0.count >= 3 }) {
                let del = try await client.send("DELETE", path)
                #expect(del.status == 200 && del["kind"] == .string("BackupPolicy"))
                #expect(del["metadata", "deletionTimestamp"] != nil && del["metadata", "deletionGracePeriodSeconds"] == .int(0))
                #expect(del["metadata", "generation"] == .int(2))
                let again = try await client.send("DELETE", path)
                #expect(again.status == 200 && again.body == del.body)
                let add = try await client.send("PATCH", path, body: samples[0].requestBody, contentType: "application/merge-patch+json")
                #expect(add.status == 422 && add.text == samples[0].compactResponse + "\n", "\(add.text)")
                let remove = try await client.send("PATCH", path, body: samples[1].requestBody, contentType: "application/json-patch+json")
                #expect(remove.status == 200 && remove.resourceVersion == del.resourceVersion)
                #expect(remove["metadata", "finalizers"] == nil && remove["metadata", "deletionTimestamp"] != nil)
                #expect(try await client.send("GET", path).status == 404)
            }
            try #require(watch.types == ["ADDED", "MODIFIED", "DELETED"])
            let deleted = try #require(watch.events.last)
            #expect(deleted[path: "object", "metadata", "finalizers"] == .array([.string("lifeboat.dev/cleanup")]))
            #expect(Int(deleted[path: "object", "metadata", "resourceVersion"]?.stringValue ?? "")! > Int(watch.events[1][path: "object", "metadata", "resourceVersion"]!.stringValue!)!)
            _ = server
        }
    }

    @Test("given immediate deletes, then Status Success with details uid for CRs and core objects, and a wrong uid precondition is 409 (12d)")
    func givenImmediateDelete_thenStatusSuccess() async throws {
        let samples = try WireSample.load("12d-delete-responses.txt")
        try await withServer { _, client in
            let bp = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body("del-demo"))
            let uid = bp["metadata", "uid"]!.stringValue!
            let pre = try await client.send("DELETE", Self.bp + "/del-demo", body: samples[0].requestBody)
            let expectedPre = samples[0].compactResponse.replacingOccurrences(of: "7711c478-d5e7-4170-9e5e-726b315e7b3f", with: uid)
            #expect(pre.status == 409 && pre.text == expectedPre + "\n", "\(pre.text)")
            let del = try await client.send("DELETE", Self.bp + "/del-demo", body: samples[1].requestBody)
            #expect(del.status == 200 && del.text == samples[1].compactResponse.replacingOccurrences(of: "7711c478-d5e7-4170-9e5e-726b315e7b3f", with: uid) + "\n")
            let cm = try await client.send("POST", Self.cms, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"del-demo"}}"#)
            let cmDel = try await client.send("DELETE", Self.cms + "/del-demo")
            #expect(cmDel.text == samples[2].compactResponse.replacingOccurrences(of: "ab822f0d-0889-437f-b3bb-55cfb3b4f846", with: cm["metadata", "uid"]!.stringValue!) + "\n")
        }
    }

    func ownedConfigMap(_ name: String, owner: WireClient.Response, finalizer: Bool = false) -> String {
        let fin = finalizer ? #","finalizers":["lifeboat.dev/hold"]"# : ""
        return #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"\#(fin),"ownerReferences":[{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","name":"\#(owner["metadata", "name"]!.stringValue!)","uid":"\#(owner["metadata", "uid"]!.stringValue!)","controller":true,"blockOwnerDeletion":true}]},"data":{"retention":"7"}}"#
    }

    @Test("given a dependent, when the owner is deleted in Background, then the GC removes the dependent after its delay (13a)")
    func givenDependent_whenBackgroundDelete_thenCollected() async throws {
        // A longer delay than the real 0.3 s so that the "not yet" check cannot race on a loaded machine.
        try await withServer(.init(garbageCollectionDelay: 1.5)) { _, client in
            let owner = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body("owner-bg"))
            let cm = try await client.send("POST", Self.cms, body: ownedConfigMap("owner-bg-cm", owner: owner))
            #expect(cm.status == 201)
            #expect(cm.text.contains(#""ownerReferences":[{"apiVersion":"lifeboat.dev/v1alpha1","kind":"BackupPolicy","name":"owner-bg","uid":"#))
            let del = try await client.send("DELETE", Self.bp + "/owner-bg?propagationPolicy=Background")
            #expect(del["status"] == .string("Success"))
            #expect(try await client.send("GET", Self.cms + "/owner-bg-cm").status == 200, "the GC waits its delay")
            #expect(try await eventually(5) { try await client.send("GET", Self.cms + "/owner-bg-cm").status == 404 })
        }
    }

    @Test("given a blocking dependent with its own finalizer, when the owner is deleted in Foreground, then the owner waits for it (13b)")
    func givenBlockingDependent_whenForegroundDelete_thenOwnerWaits() async throws {
        try await withServer { _, client in
            let owner = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body("owner-fg"))
            _ = try await client.send("POST", Self.cms, body: ownedConfigMap("owner-fg-cm", owner: owner, finalizer: true))
            let del = try await client.send("DELETE", Self.bp + "/owner-fg?propagationPolicy=Foreground")
            #expect(del.status == 200 && del["metadata", "finalizers"] == .array([.string("foregroundDeletion")]))
            #expect(del["metadata", "generation"] == .int(2))
            #expect(try await eventually { try await client.send("GET", Self.cms + "/owner-fg-cm")["metadata", "deletionTimestamp"] != nil })
            try await Task.sleep(nanoseconds: 500_000_000)
            #expect(try await client.send("GET", Self.bp + "/owner-fg").status == 200)
            _ = try await client.send("PATCH", Self.cms + "/owner-fg-cm", body: #"{"metadata":{"finalizers":null}}"#, contentType: "application/merge-patch+json")
            #expect(try await eventually { try await client.send("GET", Self.bp + "/owner-fg").status == 404 })
        }
    }

    @Test("given a dependent, when the owner is deleted with Orphan, then the dependent stays without ownerReferences (13c)")
    func givenDependent_whenOrphanDelete_thenKeptWithoutOwner() async throws {
        try await withServer { _, client in
            let owner = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body("owner-or"))
            _ = try await client.send("POST", Self.cms, body: ownedConfigMap("owner-or-cm", owner: owner))
            let del = try await client.send("DELETE", Self.bp + "/owner-or?propagationPolicy=Orphan")
            #expect(del["metadata", "finalizers"] == .array([.string("orphan")]))
            #expect(try await eventually { try await client.send("GET", Self.bp + "/owner-or").status == 404 })
            let cm = try await client.send("GET", Self.cms + "/owner-or-cm")
            #expect(cm.status == 200 && cm["metadata", "ownerReferences"] == nil)
        }
    }

    @Test("given a chain CronJob → Job → Pod, when the CronJob is deleted, then the GC removes the chain recursively")
    func givenOwnerChain_whenRootDeleted_thenAllCollected() async throws {
        try await withServer(.init(garbageCollectionDelay: 0.05)) { _, client in
            let cron = try await client.send("POST", "/apis/batch/v1/namespaces/demo/cronjobs", body: #"{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"c"},"spec":{"schedule":"@daily","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}}}}}"#)
            let job = try await client.send("POST", "/apis/batch/v1/namespaces/demo/jobs", body: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"c-1","ownerReferences":[{"apiVersion":"batch/v1","kind":"CronJob","name":"c","uid":"\#(cron["metadata", "uid"]!.stringValue!)","controller":true,"blockOwnerDeletion":true}]},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}}}"#)
            let pod = try await client.send("POST", "/api/v1/namespaces/demo/pods", body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"c-1-abc","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"c-1","uid":"\#(job["metadata", "uid"]!.stringValue!)","controller":true,"blockOwnerDeletion":true}]},"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}"#)
            #expect(pod.status == 201 && pod["status", "phase"] == .string("Pending"))
            _ = try await client.send("DELETE", "/apis/batch/v1/namespaces/demo/cronjobs/c")
            #expect(try await eventually { try await client.send("GET", "/api/v1/namespaces/demo/pods/c-1-abc").status == 404 })
            #expect(try await client.send("GET", "/apis/batch/v1/namespaces/demo/jobs/c-1").status == 404)
        }
    }

    @Test("given 40 owned Pods created within one collector delay, when their Job is deleted, then one shared pass per delay collects them all")
    func givenManyOwnedWrites_whenCollected_thenPassesAreShared() async throws {
        try await withServer(.init(garbageCollectionDelay: 0.5)) { server, client in
            let job = try await client.send("POST", "/apis/batch/v1/namespaces/demo/jobs", body: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"many"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}}}"#)
            let uid = job["metadata", "uid"]!.stringValue!
            for i in 0..<40 {
                let pod = try await client.send("POST", "/api/v1/namespaces/demo/pods", body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"many-\#(i)","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"many","uid":"\#(uid)","controller":true,"blockOwnerDeletion":true}]},"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}"#)
                #expect(pod.status == 201)
            }
            // Every pass the writes asked for has run by now. They shared passes (one per delay while writes kept
            // coming), where a pass per write made 40 passes over every object (quadratic at thousands of objects).
            try await Task.sleep(for: .milliseconds(800))
            let passes = server.store.withLock { server.store.garbageCollectionPasses }
            #expect(passes >= 1 && passes < 20, "\(passes) passes")
            _ = try await client.send("DELETE", "/apis/batch/v1/namespaces/demo/jobs/many?propagationPolicy=Background")
            #expect(try await eventually { try await client.send("GET", "/api/v1/namespaces/demo/pods/many-39").status == 404 })
            #expect(try await client.send("GET", "/api/v1/namespaces/demo/pods/many-0").status == 404)
        }
    }

    @Test("given a Job with a Pod, when deleted without a policy, then the Pod is orphaned with a warning; with Background it goes")
    func givenJobWithPod_whenDeletedWithoutPolicy_thenPodOrphaned() async throws {
        try await withServer(.init(garbageCollectionDelay: 0.05)) { _, client in
            let jobs = "/apis/batch/v1/namespaces/demo/jobs", pods = "/api/v1/namespaces/demo/pods"
            func makeJob(_ name: String) async throws {
                let job = try await client.send("POST", jobs, body: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"\#(name)"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}}}"#)
                _ = try await client.send("POST", pods, body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)-pod","ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"\#(name)","uid":"\#(job["metadata", "uid"]!.stringValue!)","controller":true,"blockOwnerDeletion":true}]},"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}"#)
            }
            try await makeJob("kept")
            let del = try await client.send("DELETE", jobs + "/kept")
            #expect(del.status == 200 && del["metadata", "finalizers"] == .array([.string("orphan")]))
            #expect(del.header("Warning")?.contains("child pods are preserved by default") == true)
            #expect(try await eventually { try await client.send("GET", jobs + "/kept").status == 404 })
            let pod = try await client.send("GET", pods + "/kept-pod")
            #expect(pod.status == 200 && pod["metadata", "ownerReferences"] == nil)
            try await makeJob("gone")
            let bg = try await client.send("DELETE", jobs + "/gone?propagationPolicy=Background")
            #expect(bg["status"] == .string("Success") && bg.header("Warning") == nil)
            #expect(try await eventually { try await client.send("GET", pods + "/gone-pod").status == 404 })
        }
    }

    @Test("given an ownerReference to a uid that does not exist, then the GC collects the dependent; an unknown kind is left alone")
    func givenDanglingOwner_thenCollected() async throws {
        try await withServer(.init(garbageCollectionDelay: 0.05)) { _, client in
            let ref = #""ownerReferences":[{"apiVersion":"batch/v1","kind":"Job","name":"ghost","uid":"00000000-0000-0000-0000-000000000001","controller":true}]"#
            let pod = try await client.send("POST", "/api/v1/namespaces/demo/pods", body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"orphan",\#(ref)},"spec":{"containers":[{"name":"x","image":"busybox"}]}}"#)
            #expect(pod.status == 201)
            let foreign = #""ownerReferences":[{"apiVersion":"example.com/v1","kind":"Widget","name":"w","uid":"00000000-0000-0000-0000-000000000002"}]"#
            _ = try await client.send("POST", Self.cms, body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"foreign",\#(foreign)}}"#)
            #expect(try await eventually { try await client.send("GET", "/api/v1/namespaces/demo/pods/orphan").status == 404 })
            #expect(try await client.send("GET", Self.cms + "/foreign").status == 200)
        }
    }

    @Test("given labelled objects, when the collection is deleted with a selector, then the matches go and the answer is a List (21b)")
    func givenLabelledObjects_whenDeleteCollection_thenListOfDeleted() async throws {
        try await withServer { _, client in
            for name in ["a", "b"] {
                _ = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body(name, extra: #","labels":{"batch":"gc-demo"}"#))
            }
            _ = try await client.send("POST", Self.bp, body: BackupPolicyCRD.body("keep"))
            let r = try await client.send("DELETE", Self.bp + "?labelSelector=batch%3Dgc-demo")
            #expect(r.status == 200 && r["kind"] == .string("BackupPolicyList"))
            #expect(r["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["a", "b"])
            #expect(r["metadata", "continue"] == .string(""))
            let left = try await client.send("GET", Self.bp)
            #expect(left["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["keep"])
        }
    }
}
