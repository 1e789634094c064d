import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("Test controls and built-in workflows")
struct ServerControlsTests {
    @Test("given requests, then requestLog records method, path, decoded query, headers and body, and objects() reads the store")
    func givenRequests_thenLoggedAndReadable() async throws {
        try await withServer { server, client in
            server.clearRequestLog()
            _ = try await client.send("POST", "/api/v1/namespaces/demo/configmaps?fieldManager=tester",
                                      body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labels":{"x":"1"}},"data":{"k":"v"}}"#)
            _ = try await client.send("GET", "/api/v1/namespaces/demo/configmaps?labelSelector=x%3D1")
            let log = server.requestLog
            #expect(log.map(\.method) == ["POST", "GET"])
            #expect(log[0].path == "/api/v1/namespaces/demo/configmaps" && log[0].query == ["fieldManager": "tester"])
            #expect(log[0].headers["user-agent"] == "lifeboat-capture/1.0")
            #expect(log[0].bodyText.contains(#""name":"a""#))
            #expect(log[1].query["labelSelector"] == "x=1")
            let stored = try #require(server.object(version: "v1", plural: "configmaps", namespace: "demo", name: "a"))
            #expect(stored[path: "data", "k"] == .string("v"))
            #expect(stored[path: "metadata", "managedFields"]?.arrayValue?.first?["manager"] == .string("tester"))
            #expect(server.objects(version: "v1", plural: "configmaps").count == 1)
            #expect(server.objects(version: "v1", plural: "namespaces").compactMap { $0[path: "metadata", "name"]?.stringValue }
                    == ["default", "demo", "kube-public", "kube-system"])
        }
    }

    @Test("given credentials, then kubeconfig() names the server, the CA, the token and the client certificate")
    func givenCredentials_thenKubeconfig() async throws {
        try await withServer { server, _ in
            let text = server.kubeconfig(namespace: "demo", token: "t0k", certificateAuthorityPEM: "CA", clientCertificatePEM: "CERT", clientKeyPEM: "KEY")
            let config = try Store.decodeApplyBody(Array(text.utf8))
            #expect(config["current-context"] == "test")
            let cluster = config["clusters"]?.arrayValue?.first?["cluster"]
            #expect(cluster?["server"] == .string(server.baseURL))
            #expect(cluster?["certificate-authority-data"] == .string(Data("CA".utf8).base64EncodedString()))
            let user = config["users"]?.arrayValue?.first?["user"]
            #expect(user?["token"] == "t0k" && user?["client-key-data"] == .string(Data("KEY".utf8).base64EncodedString()))
            #expect(config["contexts"]?.arrayValue?.first?[path: "context", "namespace"] == "demo")
        }
    }

    @Test("given a built-in object, when PUT without resourceVersion, then the update is unconditional (unlike a CR)")
    func givenBuiltIn_whenPutWithoutRV_thenUnconditional() async throws {
        try await withServer { _, client in
            _ = try await client.send("POST", "/api/v1/namespaces/demo/configmaps", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"u"},"data":{"k":"1"}}"#)
            let r = try await client.send("PUT", "/api/v1/namespaces/demo/configmaps/u", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"u"},"data":{"k":"2"}}"#)
            #expect(r.status == 200 && r["data", "k"] == .string("2"))
        }
    }

    @Test("given a Pod made by a Job, when the kubelet stand-in writes /status, then the termination message keeps its newline (14d)")
    func givenPod_whenStatusWritten_thenTerminationMessageKept() async throws {
        try await withServer { _, client in
            let pods = "/api/v1/namespaces/demo/pods"
            let created = try await client.send("POST", pods, body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"job-name":"j"}},"spec":{"restartPolicy":"Never","containers":[{"name":"backup","image":"busybox"}]},"status":{"phase":"Running"}}"#)
            #expect(created["status", "phase"] == .string("Pending"), "status in a create body is dropped")
            #expect(created["metadata", "generation"] == .int(1))
            #expect(created["spec", "containers"]?.arrayValue?.first?["terminationMessagePath"] == .string("/dev/termination-log"))
            var pod = try #require(created.json)
            pod["status"] = .object(["phase": .string("Succeeded"), "containerStatuses": .array([.object([
                "name": .string("backup"),
                "state": .object(["terminated": .object(["exitCode": .int(0), "reason": .string("Completed"), "message": .string("{\"ok\":true}\n")])]),
            ])])])
            let r = try await client.send("PUT", pods + "/p/status", json: pod)
            #expect(r.status == 200 && r["metadata", "generation"] == .int(1))
            let got = try await client.send("GET", pods + "/p")
            let message = got["status", "containerStatuses"]?.arrayValue?.first?[path: "state", "terminated", "message"]
            #expect(message == .string("{\"ok\":true}\n"))
            #expect(got.text.contains(#""message":"{\"ok\":true}\n""#))
            // A Pod list by the Job's label.
            let list = try await client.send("GET", pods + "?labelSelector=job-name%3Dj")
            #expect(list["kind"] == .string("PodList") && list["items"]?.arrayValue?.count == 1)
            #expect(list["items"]?.arrayValue?.first?["kind"] == nil, "built-in list items carry no kind")
        }
    }

    @Test("given objects in several namespaces, then a cluster-wide list filters by metadata.namespace")
    func givenSeveralNamespaces_whenFieldSelectorNamespace_thenFiltered() async throws {
        try await withServer(namespaces: ["demo", "other"]) { _, client in
            _ = try await client.send("POST", BackupPolicyCRD.bp, body: BackupPolicyCRD.body("a"))
            _ = try await client.send("POST", "/apis/lifeboat.dev/v1alpha1/namespaces/other/backuppolicies", body: BackupPolicyCRD.body("b"))
            let all = try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/backuppolicies")
            #expect(all["items"]?.arrayValue?.count == 2)
            let other = try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/backuppolicies?fieldSelector=metadata.namespace%3Dother")
            #expect(other["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["b"])
            let notOther = try await client.send("GET", "/apis/lifeboat.dev/v1alpha1/backuppolicies?fieldSelector=metadata.namespace!%3Dother")
            #expect(notOther["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["a"])
        }
    }

    @Test("given a Job and a Pod, when their immutable specs change, then 422; labels and images may change")
    func givenJobAndPod_whenImmutableFieldsChange_then422() async throws {
        try await withServer { _, client in
            let job = "/apis/batch/v1/namespaces/demo/jobs/j"
            _ = try await client.send("POST", "/apis/batch/v1/namespaces/demo/jobs", body: #"{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"x","image":"busybox"}]}}}}"#)
            let template = try await client.send("PATCH", job, body: #"{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"alpine"}]}}}}"#, contentType: "application/strategic-merge-patch+json")
            #expect(template.status == 422 && template["details", "causes"]?.arrayValue?.first?["field"] == "spec.template")
            #expect(template["message"]?.stringValue?.hasSuffix("field is immutable") == true)
            let labels = try await client.send("PATCH", job, body: #"{"metadata":{"labels":{"a":"b"}},"spec":{"suspend":true}}"#, contentType: "application/merge-patch+json")
            #expect(labels.status == 200)
            let pod = "/api/v1/namespaces/demo/pods/p"
            _ = try await client.send("POST", "/api/v1/namespaces/demo/pods", body: #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"x","image":"busybox"}]}}"#)
            let image = try await client.send("PATCH", pod, body: #"{"spec":{"containers":[{"name":"x","image":"alpine"}]}}"#, contentType: "application/strategic-merge-patch+json")
            #expect(image.status == 200 && image["metadata", "generation"] == .int(2))
            let command = try await client.send("PATCH", pod, body: #"{"spec":{"containers":[{"name":"x","command":["sh"]}]}}"#, contentType: "application/strategic-merge-patch+json")
            #expect(command.status == 422 && command["details", "causes"]?.arrayValue?.first?["reason"] == "FieldValueForbidden")
        }
    }

    @Test("given CronJob validation, then a bad time zone, an out-of-range minute and CRON_TZ are 422 as in 14b")
    func givenInvalidCronJobs_then422AsSample() async throws {
        let samples = try WireSample.load("14b-cronjob-invalid.txt")
        try await withServer { _, client in
            for (i, ex) in samples.enumerated() {
                let r = try await client.send(ex.method, ex.path, body: ex.requestBody)
                #expect(r.status == 422 && r.text == ex.compactResponse + "\n", "14b #\(i + 1): \(r.text)")
            }
        }
    }
}

@Suite("Scale")
struct ScaleTests {
    @Test("given 500 objects written concurrently, then the list, a paged list and a watch replay see all of them quickly")
    func givenManyObjects_thenListAndReplayComplete() async throws {
        try await withServer { server, client in
            let start = server.currentResourceVersion
            let began = Date()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for i in stride(from: worker, to: 500, by: 4) {
                            let r = try await client.send("POST", BackupPolicyCRD.bp, body: BackupPolicyCRD.body(String(format: "bp-%03d", i)))
                            #expect(r.status == 201)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let list = try await client.send("GET", BackupPolicyCRD.bp)
            #expect(list["items"]?.arrayValue?.count == 500)
            var names: [String] = []
            var token = ""
            repeat {
                let page = try await client.send("GET", BackupPolicyCRD.bp + "?limit=100" + (token.isEmpty ? "" : "&continue=\(token)"))
                names += page["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } ?? []
                token = page["metadata", "continue"]?.stringValue ?? ""
            } while !token.isEmpty
            #expect(names == (0..<500).map { String(format: "bp-%03d", $0) })
            let replay = try await client.watch(BackupPolicyCRD.bp + "?watch=1&resourceVersion=\(start)", timeout: 10, until: { $0.count >= 500 })
            #expect(replay.lines.count == 500 && Set(replay.types) == ["ADDED"])
            #expect(Date().timeIntervalSince(began) < 20)
        }
    }
}
