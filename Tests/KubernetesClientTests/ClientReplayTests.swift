import Foundation
import KubernetesModels
import Testing
@testable import KubernetesClient

/// The real client against a loopback server replaying the captured responses; each test checks
/// the request the client sent against the captured request.
@Suite("KubernetesClient against replayed kube-apiserver answers")
struct ClientReplayTests {
    static func withClient<T>(
        replaying exchanges: [WireExchange],
        fieldManager: String = KubernetesClientConfiguration.defaultFieldManager,
        _ body: (KubernetesClient, ReplayServer) async throws -> T
    ) async throws -> T {
        let responses = try exchanges.map { ReplayResponse.captured(try #require($0.response)) }
        return try await ReplayServer.with(responses) { server in
            let configuration = KubernetesClientConfiguration(server: server.url, authentication: .bearerToken("test-token"), namespace: "demo", fieldManager: fieldManager)
            return try await withKubernetesClient(configuration: configuration) { client in
                try await body(client, server)
            }
        }
    }

    @Test("given a CronJob, when get, then the typed object comes back and the request is the captured GET")
    func get() async throws {
        let exchange = try WireSamples.exchange("14a-cronjob-create-defaults", 2)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let cronJob = try await client.get(CronJob.self, name: "defaults-demo", namespace: "demo")
            #expect(cronJob.metadata.uid == "702027a4-7a79-42a6-ab17-8da18f3dc2d0")
            #expect(cronJob.spec?.schedule == "0 0 1 1 *")
            let sent = try #require(server.requests.first)
            try WireAssertions.expectSameRequest(sent, exchange.request)
            #expect(sent.header("Authorization") == "Bearer test-token")
        }
    }

    @Test("given a missing object, when get, then isNotFound with the server's message and Status")
    func getNotFound() async throws {
        let exchange = try WireSamples.exchange("03-not-found", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let error = await #expect(throws: KubernetesError.self) {
                _ = try await client.get(TestPolicy.self, name: "nope", namespace: "demo")
            }
            #expect(error?.isNotFound == true)
            #expect(error?.isConflict == false)
            #expect(error?.statusCode == 404)
            #expect(error?.status?.details?.name == "nope")
            #expect(error?.message.contains("backuppolicies.lifeboat.dev \"nope\" not found") == true)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a missing object, when getIfExists, then nil")
    func getIfExists() async throws {
        try await Self.withClient(replaying: [try WireSamples.exchange("03-not-found", 1)]) { client, _ in
            let policy = try await client.getIfExists(TestPolicy.self, name: "nope", namespace: "demo")
            #expect(policy == nil)
        }
    }

    @Test("given an unknown path, when get, then a not-found error keeping the plain-text body")
    func plainTextNotFound() async throws {
        struct Widget: KubernetesResource {
            static let descriptor = ResourceDescriptor(group: "lifeboat.dev", version: "v1alpha1", kind: "Widget", plural: "widgets", namespaced: true)
            var apiVersion: String?
            var kind: String?
            var metadata: ObjectMeta
        }
        let exchange = try WireSamples.exchange("03-not-found", 5)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let error = await #expect(throws: KubernetesError.self) {
                _ = try await client.get(Widget.self, name: "x", namespace: "demo")
            }
            #expect(error?.isNotFound == true)
            #expect(error?.status == nil)
            #expect(error?.responseBody == "404 page not found")
            #expect(error?.message.contains("404 page not found") == true)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a new BackupPolicy, when create, then 201 and the stored object with uid and resourceVersion")
    func create() async throws {
        let exchange = try WireSamples.exchange("02b-create-backuppolicy", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let policy = TestPolicy(
                apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy",
                metadata: ObjectMeta(name: "orders", namespace: "demo", labels: ["app": "shop"]),
                spec: .object(["schedule": .string("0 2 * * *"), "retention": .object(["daily": .number(7)])])
            )
            let created = try await client.create(policy)
            #expect(created.metadata.uid != nil)
            #expect(created.metadata.resourceVersion != nil)
            #expect(created.metadata.generation == 1)
            #expect(created.spec?["suspend"] == .bool(false))
            let sent = try #require(server.requests.first)
            try WireAssertions.expectSameRequest(sent, exchange.request)
            #expect(sent.query.contains(QueryItem(name: "fieldManager", value: "lifeboat-controller")))
        }
    }

    @Test("given an existing name, when create, then isAlreadyExists")
    func createAlreadyExists() async throws {
        let exchange = try WireSamples.exchange("04a-conflict-409", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let policy = try JSONDecoder().decode(TestPolicy.self, from: Data(exchange.request.body.utf8))
            let error = await #expect(throws: KubernetesError.self) { _ = try await client.create(policy, namespace: "demo") }
            #expect(error?.isAlreadyExists == true)
            #expect(error?.isConflict == false)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a stale resourceVersion, when replace (PUT), then isConflict with the server's message")
    func replaceConflict() async throws {
        let exchange = try WireSamples.exchange("04a-conflict-409", 2)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let stale = try JSONDecoder().decode(TestPolicy.self, from: Data(exchange.request.body.utf8))
            #expect(stale.metadata.resourceVersion == "240")
            let error = await #expect(throws: KubernetesError.self) { _ = try await client.replace(stale) }
            #expect(error?.isConflict == true)
            #expect(error?.message.contains("the object has been modified") == true)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a merge patch with a null, when patch, then application/merge-patch+json and the patched object")
    func mergePatch() async throws {
        let exchange = try WireSamples.exchange("06a-merge-patch", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let patch: JSONValue = .object([
                "metadata": .object(["labels": .object(["tier": .null])]),
                "spec": .object(["schedule": .string("30 1 * * *"), "retention": .object(["daily": .number(21)])]),
            ])
            let patched = try await client.patch(TestPolicy.self, name: "orders", namespace: "demo", mergePatch: patch)
            #expect(patched.spec?["schedule"] == .string("30 1 * * *"))
            #expect(patched.metadata.labels?["tier"] == nil)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given an apply configuration, when server-side apply, then apply-patch+yaml with fieldManager and force=false, and 201")
    func serverSideApply() async throws {
        let exchange = try WireSamples.exchange("07a-ssa-create-and-reapply", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let policy = TestPolicy(
                apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy",
                metadata: ObjectMeta(name: "ssa-demo", namespace: "demo", labels: ["managed-by": "lifeboat", "extra": "yes"]),
                spec: .object(["schedule": .string("0 4 * * *"), "retention": .object(["daily": .number(7)])])
            )
            let applied = try await client.apply(policy)
            #expect(applied.metadata.managedFields?.first?["operation"] == .string("Apply"))
            let sent = try #require(server.requests.first)
            try WireAssertions.expectSameRequest(sent, exchange.request)
            #expect(sent.header("Content-Type") == "application/apply-patch+yaml")
        }
    }

    @Test("given another manager owns a field, when apply without force, then isConflict with FieldManagerConflict causes; with force the query says force=true")
    func applyConflictThenForce() async throws {
        let conflict = try WireSamples.exchange("07b-ssa-conflict-and-force", 1)
        let forced = try WireSamples.exchange("07b-ssa-conflict-and-force", 2)
        try await Self.withClient(replaying: [conflict, forced], fieldManager: "ops-cli") { client, server in
            let body = try WireAssertions.parseBody(conflict.request.body, contentType: "application/apply-patch+yaml")
            let error = await #expect(throws: KubernetesError.self) {
                _ = try await client.apply(TestPolicy.self, name: "ssa-demo", namespace: "demo", configuration: body)
            }
            #expect(error?.isConflict == true)
            #expect(error?.causes.first?.reason == "FieldManagerConflict")
            _ = try await client.apply(TestPolicy.self, name: "ssa-demo", namespace: "demo", configuration: body, force: true)
            try WireAssertions.expectSameRequest(server.requests[0], conflict.request)
            try WireAssertions.expectSameRequest(server.requests[1], forced.request)
        }
    }

    @Test("given six policies and limit 2, when listAll, then three pages are followed and the first page's resourceVersion is kept")
    func listAllFollowsContinue() async throws {
        let pages = try WireSamples.exchanges("09a-list-paginated")
        #expect(pages.count == 3)
        try await Self.withClient(replaying: pages) { client, server in
            let list = try await client.listAll(TestPolicy.self, namespace: "listing", pageSize: 2)
            #expect(list.items.map(\.metadata.name) == ["bp-1", "bp-2", "bp-3", "bp-4", "bp-5", "bp-6"])
            #expect(list.metadata?.resourceVersion == "324")
            #expect(list.metadata?.continue == nil)
            #expect(server.requests.count == 3)
            for (sent, page) in zip(server.requests, pages) {
                try WireAssertions.expectSameRequest(sent, page.request)
            }
        }
    }

    @Test("given a continue token that expired (11b), when listAll, then it lists again without paging and returns that snapshot")
    func listAllRestartsOnExpiredContinue() async throws {
        let firstPage = try WireSamples.exchange("09a-list-paginated", 1)
        let expired = try WireSamples.exchange("11b-compaction-410", 3)
        let whole = try WireSamples.exchange("09b-list-selectors", 5)
        try await Self.withClient(replaying: [firstPage, expired, whole]) { client, server in
            let list = try await client.listAll(TestPolicy.self, namespace: "listing", pageSize: 2)
            let expected = try JSONDecoder().decode(ResourceList<TestPolicy>.self, from: Data(try #require(whole.response).body.utf8))
            #expect(list.items.map(\.metadata.name) == expected.items.map(\.metadata.name))
            #expect(list.metadata?.resourceVersion == expected.metadata?.resourceVersion)
            #expect(server.requests.count == 3)
            let firstBody = try #require(firstPage.response).body
            let token = try #require(try JSONDecoder().decode(ResourceList<TestPolicy>.self, from: Data(firstBody.utf8)).metadata?.continue)
            #expect(server.requests[1].query.contains(QueryItem(name: "continue", value: token)))
            #expect(server.requests[2].query.isEmpty, "the retry lists everything in one request")
        }
    }

    @Test("given a label selector, when list, then the selector is percent-encoded as the capture")
    func listWithSelector() async throws {
        let exchanges = try WireSamples.exchanges("09b-list-selectors")
        let setBased = try #require(exchanges.first { $0.request.target.contains("labelSelector=tier%20in") })
        try await Self.withClient(replaying: [setBased]) { client, server in
            let list = try await client.list(TestPolicy.self, namespace: "listing", options: ListOptions(labelSelector: "tier in (silver,bronze),!archived"))
            #expect(!list.items.isEmpty)
            let sent = try #require(server.requests.first)
            #expect(sent.uri == setBased.request.target)
        }
    }

    @Test("given an object without finalizers, when delete with Background propagation, then .deleted with the Status and its uid")
    func deleteImmediately() async throws {
        let exchange = try WireSamples.exchange("12d-delete-responses", 2)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let result = try await client.delete(TestPolicy.self, name: "del-demo", namespace: "demo", options: DeleteOptions(propagationPolicy: .background))
            guard case .deleted(let status) = result else { Issue.record("expected .deleted, got \(result)"); return }
            #expect(status.status == "Success")
            #expect(status.details?.uid == "7711c478-d5e7-4170-9e5e-726b315e7b3f")
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given an object with a finalizer, when delete, then .deleting with the object carrying deletionTimestamp")
    func deleteDeferred() async throws {
        let exchange = try WireSamples.exchange("12a-finalizers-delete", 2)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let result = try await client.delete(TestPolicy.self, name: "fin-demo", namespace: "demo")
            guard case .deleting(let policy) = result else { Issue.record("expected .deleting, got \(result)"); return }
            #expect(policy.metadata.deletionTimestamp == "2026-11-21T09:49:52Z")
            #expect(policy.metadata.finalizers == ["lifeboat.dev/cleanup"])
            #expect(!result.isDeleted)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a wrong uid precondition, when delete, then isConflict")
    func deletePrecondition() async throws {
        let exchange = try WireSamples.exchange("12d-delete-responses", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let options = DeleteOptions(preconditions: .init(uid: "00000000-0000-0000-0000-000000000000"))
            let error = await #expect(throws: KubernetesError.self) {
                _ = try await client.delete(TestPolicy.self, name: "del-demo", namespace: "demo", options: options)
            }
            #expect(error?.isConflict == true)
            #expect(error?.message.contains("the UID in the precondition") == true)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a status, when replaceStatus, then PUT /status and the server's object with the status kept")
    func replaceStatus() async throws {
        let exchange = try WireSamples.exchange("05c-status-subresource", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let object = try JSONDecoder().decode(TestPolicy.self, from: Data(exchange.request.body.utf8))
            let updated = try await client.replaceStatus(object)
            #expect(updated.status?["phase"] == .string("Ready"))
            #expect(updated.spec?["retention"]?["daily"] == .number(14))
            #expect(updated.metadata.generation == 2)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a status merge patch, when patchStatus, then PATCH /status with merge-patch+json")
    func patchStatus() async throws {
        let exchange = try WireSamples.exchange("05d-status-patch", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let patch: JSONValue = .object(["status": .object(["phase": .string("Backing up")]), "spec": .object(["suspend": .bool(true)])])
            let updated = try await client.patchStatus(TestPolicy.self, name: "orders", namespace: "demo", mergePatch: patch)
            #expect(updated.status?["phase"] == .string("Backing up"))
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a status, when applyStatus, then PATCH /status with apply-patch+yaml, the manager and force")
    func applyStatus() async throws {
        let exchange = try WireSamples.exchange("07c-ssa-drop-field-status-errors", 2)
        #expect(exchange.request.path.hasSuffix("/status"))
        // The capture trimmed this answer to a few metadata fields; answer with a whole stored object (05c) instead.
        var answer = ReplayResponse.captured(try #require(try WireSamples.exchange("05c-status-subresource", 1).response))
        answer.status = try #require(exchange.response).statusCode
        try await ReplayServer.with([answer]) { server in
            let configuration = KubernetesClientConfiguration(server: server.url)
            try await withKubernetesClient(configuration: configuration) { client in
                let body = try WireAssertions.parseBody(exchange.request.body, contentType: "application/apply-patch+yaml")
                // Spec and labels in the object are not sent: a status apply carries identity and status only.
                var policy = TestPolicy(apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy", metadata: ObjectMeta(name: "ssa-demo", namespace: "demo", labels: ["x": "y"]))
                policy.spec = .object(["schedule": .string("@daily")])
                policy.status = body["status"]
                let updated = try await client.applyStatus(policy, force: true, fieldManager: "lifeboat-controller-status")
                #expect(updated.status?["phase"] == .string("Ready"))
                try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
            }
        }
    }

    @Test("given a Lease built from Dates, when create, then the MicroTimes on the wire are the captured ones")
    func leaseMicroTime() async throws {
        let exchange = try WireSamples.exchange("16a-lease", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let acquired = Date(timeIntervalSince1970: 1_795_254_799.275611)
            let lease = Lease(metadata: ObjectMeta(name: "lifeboat-leader"), spec: LeaseSpec(
                holderIdentity: "lifeboat-7f9c5d-x2x4q_3b1f", leaseDurationSeconds: 15,
                acquireTime: KubernetesTime.formatMicro(acquired), renewTime: KubernetesTime.formatMicro(acquired), leaseTransitions: 0
            ))
            let created = try await client.create(lease, namespace: "demo")
            #expect(created.metadata.resourceVersion == "598")
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given an events.k8s.io Event, when create, then the body equals the captured one")
    func createEvent() async throws {
        let exchange = try WireSamples.exchange("17a-events-k8s-io-v1", 1)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let event = Event(
                metadata: ObjectMeta(name: "orders.187a9c3e5b2d4f01"),
                eventTime: KubernetesTime.formatMicro(Date(timeIntervalSince1970: 1_795_254_827.638081)),
                reportingController: "lifeboat.dev/controller", reportingInstance: "lifeboat-7f9c5d-x2x4q",
                action: "Reconcile", reason: "BackupScheduled", note: "CronJob orders-backup created for schedule 0 2 * * *", type: "Normal",
                regarding: ObjectReference(apiVersion: "lifeboat.dev/v1alpha1", kind: "BackupPolicy", namespace: "demo", name: "orders", uid: "5adf8de6-fa47-4549-a7aa-78ea4d2ab11f", resourceVersion: "606")
            )
            let created = try await client.create(event, namespace: "demo")
            #expect(created.metadata.uid == "4f303c35-e8a2-43e9-986e-0fd2e3963895")
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given the JSONValue path, when get of a CronJob by descriptor, then the raw JSON keeps every field")
    func dynamicGet() async throws {
        let exchange = try WireSamples.exchange("14a-cronjob-create-defaults", 2)
        try await Self.withClient(replaying: [exchange]) { client, server in
            let object = try await client.get(CronJob.descriptor, name: "defaults-demo", namespace: "demo")
            #expect(object["spec"]?["jobTemplate"]?["spec"]?["template"]?["spec"]?["dnsPolicy"] == .string("ClusterFirst"))
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a namespaced kind and no namespace, when get, then an invalidRequest error and no request")
    func missingNamespace() async throws {
        try await Self.withClient(replaying: []) { client, server in
            let error = await #expect(throws: KubernetesError.self) { _ = try await client.get(CronJob.self, name: "x") }
            #expect(error?.code == .invalidRequest)
            #expect(server.requests.isEmpty)
        }
    }

    @Test("given nothing listens on the port, when get, then a transport error naming the server URL")
    func connectionRefused() async throws {
        // Bind and close a server to get a port that is free and refuses connections.
        let server = ReplayServer(responses: [])
        try await server.start()
        let url = server.url
        await server.stop()
        let configuration = KubernetesClientConfiguration(server: url, connectTimeout: .seconds(2))
        try await withKubernetesClient(configuration: configuration) { client in
            let error = await #expect(throws: KubernetesError.self) { _ = try await client.get(Namespace.self, name: "demo") }
            #expect(error?.code == .transport)
            #expect(error?.message.contains(url) == true)
            #expect(error?.isNotFound == false)
        }
    }
}

/// Every captured error answer becomes a `KubernetesError` that answers the right question.
@Suite("KubernetesError from captured error answers")
struct ErrorMappingTests {
    enum Kind: String, Sendable { case notFound, alreadyExists, conflict, gone, forbidden, unauthorized, invalid, badRequest, timeout }

    @Test("given a captured error answer, when the client receives it, then exactly the matching predicate holds and the server's message is kept", arguments: [
        ("03-not-found", 1, Kind.notFound),
        ("04a-conflict-409", 1, .alreadyExists),
        ("04a-conflict-409", 2, .conflict),
        ("08a-validation-422", 3, .invalid),
        ("11b-compaction-410", 1, .gone),
        ("11b-compaction-410", 3, .gone),
        ("11a-watch-too-old-and-too-new", 3, .timeout),
        ("18-auth-401-403", 2, .forbidden),
        ("18-auth-401-403", 5, .unauthorized),
        ("21a-negotiation-and-bad-bodies", 4, .badRequest),
        ("22a-namespace-terminating", 2, .forbidden),
    ])
    func mapping(file: String, number: Int, kind: Kind) async throws {
        let exchange = try WireSamples.exchange(file, number)
        let captured = try #require(exchange.response)
        try await ReplayServer.with([ReplayResponse.captured(captured)]) { server in
            try await withKubernetesClient(configuration: KubernetesClientConfiguration(server: server.url)) { client in
                let error = try #require(await #expect(throws: KubernetesError.self) {
                    _ = try await client.list(TestPolicy.self, namespace: "demo")
                })
                #expect(error.statusCode == captured.statusCode)
                #expect(error.isNotFound == (kind == .notFound))
                #expect(error.isAlreadyExists == (kind == .alreadyExists))
                #expect(error.isConflict == (kind == .conflict))
                #expect(error.isGone == (kind == .gone))
                #expect(error.isForbidden == (kind == .forbidden))
                #expect(error.isUnauthorized == (kind == .unauthorized))
                #expect(error.isInvalid == (kind == .invalid))
                #expect(error.isRetryable == (kind == .timeout))
                let status = try #require(error.status)
                #expect(error.message.hasSuffix(try #require(status.message)))
                if kind == .invalid { #expect(error.causes.count >= 2) }
                if kind == .timeout { #expect(error.retryAfterSeconds == 1) }
            }
        }
    }
}

@Suite("KubernetesClient.jsonPatch")
struct JSONPatchTests {
    @Test("given test, replace and add operations (06b), when jsonPatch, then the captured body and the patched object")
    func testReplaceAdd() async throws {
        let exchange = try WireSamples.exchange("06b-json-patch", 1)
        try await ClientReplayTests.withClient(replaying: [exchange]) { client, server in
            let patched = try await client.jsonPatch(TestPolicy.self, name: "orders", namespace: "demo", operations: [
                .test("/spec/retention/daily", .number(21)),
                .replace("/spec/retention/daily", .number(30)),
                .add("/metadata/labels/\(JSONPatchOperation.escape("patched-by"))", .string("json-patch")),
            ])
            #expect(patched.spec?["retention"]?["daily"] == .number(30))
            #expect(patched.metadata.labels?["patched-by"] == "json-patch")
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given a stale resourceVersion test (06b), when jsonPatch, then isInvalid, not isConflict")
    func staleTestIsInvalid() async throws {
        let exchange = try WireSamples.exchange("06b-json-patch", 4)
        try await ClientReplayTests.withClient(replaying: [exchange]) { client, server in
            let body = try JSONDecoder().decode([JSONValue].self, from: Data(exchange.request.body.utf8))
            let operations = body.map { JSONPatchOperation(op: $0["op"]?.stringValue ?? "", path: $0["path"]?.stringValue ?? "", value: $0["value"]) }
            let error = await #expect(throws: KubernetesError.self) {
                _ = try await client.jsonPatch(TestPolicy.self, name: "orders", namespace: "demo", operations: operations)
            }
            #expect(error?.isInvalid == true)
            #expect(error?.isConflict == false)
            try WireAssertions.expectSameRequest(try #require(server.requests.first), exchange.request)
        }
    }

    @Test("given label keys with / and ~, when escaped for a pointer, then RFC 6901 escapes are used")
    func escape() {
        #expect(JSONPatchOperation.escape("lifeboat.dev/policy") == "lifeboat.dev~1policy")
        #expect(JSONPatchOperation.escape("a~b/c") == "a~0b~1c")
    }
}
