import Foundation
import KubernetesModels
import Testing
@testable import KubernetesClient

/// Decodes the bodies captured from kube-apiserver v1.36 into the workload models.
@Suite("Decoding the captured k8s-wire samples")
struct SampleDecodingTests {
    private func body<T: Decodable>(_ file: String, _ number: Int, as type: T.Type) throws -> T {
        let exchange = try WireSamples.exchange(file, number)
        let response = try #require(exchange.response)
        return try JSONDecoder().decode(T.self, from: Data(response.body.utf8))
    }

    @Test("given the sample parser, when reading every sample file, then each exchange has a request line and most have a response")
    func parserReadsEverySample() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: WireSamples.directory.path).filter { $0.hasSuffix(".txt") }
        #expect(files.count >= 50)
        var exchanges = 0
        for file in files {
            for exchange in try WireSamples.exchanges(file) {
                exchanges += 1
                #expect(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(exchange.request.method), "\(file): \(exchange.title)")
                #expect(exchange.request.target.hasPrefix("/"), "\(file): \(exchange.title)")
            }
        }
        #expect(exchanges > 100)
        let notFound = try WireSamples.exchange("03-not-found", 5)
        #expect(notFound.response?.statusCode == 404)
        #expect(notFound.response?.body == "404 page not found")
    }

    @Test("given the created CronJob (14a), when decoded, then the spec and every server default are read")
    func cronJobWithDefaults() throws {
        let cronJob = try body("14a-cronjob-create-defaults", 1, as: CronJob.self)
        #expect(cronJob.kind == "CronJob")
        #expect(cronJob.metadata.resourceVersion == "497")
        #expect(cronJob.metadata.generation == 1)
        let spec = try #require(cronJob.spec)
        #expect(spec.schedule == "* * * * *")
        #expect(spec.timeZone == "Europe/Berlin")
        #expect(spec.concurrencyPolicy == "Forbid")
        #expect(spec.suspend == false)
        #expect(spec.successfulJobsHistoryLimit == 3)
        #expect(spec.failedJobsHistoryLimit == 1)
        let container = try #require(spec.jobTemplate.spec?.template.spec?.containers.first)
        #expect(container.command == ["sh", "-c", "echo '{\"ok\":true}' > /dev/termination-log"])
        #expect(container.terminationMessagePath == "/dev/termination-log")
        #expect(container.terminationMessagePolicy == "File")
        #expect(container.imagePullPolicy == "Always")
        #expect(spec.jobTemplate.spec?.template.spec?.restartPolicy == "Never")
        #expect(spec.jobTemplate.spec?.template.spec?.terminationGracePeriodSeconds == 30)

        let second = try body("14a-cronjob-create-defaults", 2, as: CronJob.self)
        #expect(second.spec?.schedule == "0 0 1 1 *")
    }

    @Test("given the CronJob after a run (14e), when decoded, then lastScheduleTime and lastSuccessfulTime are UTC seconds")
    func cronJobStatus() throws {
        let cronJob = try body("14e-cronjob-status", 1, as: CronJob.self)
        #expect(cronJob.status?.lastScheduleTime == "2026-11-21T09:52:00Z")
        #expect(cronJob.status?.lastSuccessfulTime == "2026-11-21T09:52:01Z")
        #expect(cronJob.status?.active == nil)
        #expect(KubernetesTime.parse(cronJob.status?.lastSuccessfulTime ?? "") == Date(timeIntervalSince1970: 1_795_254_721))
    }

    @Test("given the CronJob watch over a run (14f, lines abbreviated to status), when decoded, then status.active references the running Job")
    func cronJobActive() throws {
        struct AbbreviatedLine: Decodable { var status: CronJobStatus }
        let exchange = try WireSamples.exchange("14f-cronjob-watch-active", 1)
        let lines = try #require(exchange.response).body.split(separator: "\n").filter { $0.hasPrefix("{") }
        let statuses = try lines.map { try JSONDecoder().decode(AbbreviatedLine.self, from: Data($0.utf8)).status }
        #expect(statuses.count == 2)
        let job = try #require(statuses.first?.active?.first)
        #expect(job.kind == "Job")
        #expect(job.name == "orders-backup-29920913")
        #expect(job.apiVersion == "batch/v1")
        #expect(statuses.last?.active == nil)
        #expect(statuses.last?.lastSuccessfulTime == "2026-11-21T09:53:01Z")
    }

    @Test("given the Job the CronJob created (14c), when decoded, then it is Complete with its owner and times")
    func jobComplete() throws {
        let job = try body("14c-cronjob-job-complete", 1, as: Job.self)
        #expect(job.metadata.name == "orders-backup-29920912")
        #expect(job.metadata.ownerReferences?.first?.kind == "CronJob")
        #expect(job.metadata.ownerReferences?.first?.controller == true)
        #expect(job.metadata.annotations?["batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2026-11-21T10:52:00+01:00")
        #expect(job.spec?.backoffLimit == 6)
        #expect(job.spec?.selector?.matchLabels?["batch.kubernetes.io/controller-uid"] == "f93c43ae-59d5-4f60-acbe-90e35a5a8c66")
        let status = try #require(job.status)
        #expect(status.conditions?.map(\.type) == ["SuccessCriteriaMet", "Complete"])
        let complete = try #require(status.condition("Complete"))
        #expect(complete.status == "True")
        #expect(complete.reason == "CompletionsReached")
        #expect(status.succeeded == 1)
        #expect(status.startTime == "2026-11-21T09:52:00Z")
        #expect(status.completionTime == "2026-11-21T09:52:01Z")
        #expect(status.condition("Failed") == nil)
    }

    @Test("given the failed Job (15a), when decoded, then it is Failed with BackoffLimitExceeded")
    func jobFailed() throws {
        let exchanges = try WireSamples.exchanges("15a-job-failed")
        let jobs = try exchanges.compactMap { exchange -> Job? in
            guard let response = exchange.response, response.statusCode < 300, !response.bodyIsPlaceholder else { return nil }
            return try JSONDecoder().decode(Job.self, from: Data(response.body.utf8))
        }
        let failedJob = try #require(jobs.last { $0.status?.condition("Failed") != nil })
        let failed = try #require(failedJob.status?.condition("Failed"))
        #expect(failed.status == "True")
        #expect(failed.reason == "BackoffLimitExceeded")
        #expect(failedJob.status?.condition("FailureTarget") != nil)
        #expect(failedJob.spec?.backoffLimit == 0)
        #expect(failedJob.status?.failed == 1)
    }

    @Test("given the succeeded Pod (14d), when decoded, then the termination message keeps its trailing newline")
    func podSucceeded() throws {
        let pod = try body("14d-cronjob-pod-succeeded", 1, as: Pod.self)
        #expect(pod.status?.phase == "Succeeded")
        let terminated = try #require(pod.status?.containerStatuses?.first?.state?.terminated)
        #expect(terminated.exitCode == 0)
        #expect(terminated.reason == "Completed")
        #expect(terminated.message == "{\"ok\":true}\n")
        #expect(terminated.finishedAt == "2026-11-21T09:52:00Z")
        #expect(pod.metadata.ownerReferences?.first?.kind == "Job")
        #expect(pod.spec?.serviceAccountName == "default")
        #expect(pod.spec?.tolerations?.count == 2)
        #expect(pod.spec?.tolerations?.first?.tolerationSeconds == 300)
        // The projected volume is a source the model does not type: it decodes by name.
        #expect(pod.spec?.volumes?.first?.name == "kube-api-access-flmnc")
        #expect(pod.spec?.containers.first?.volumeMounts?.first?.readOnly == true)
        #expect(pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "False" && $0.reason == "PodCompleted" } == true)
    }

    @Test("given the failed Pod (15b), when decoded, then exit code 3, reason Error and message `disk full\\n`")
    func podFailed() throws {
        let pod = try body("15b-pod-failed", 1, as: Pod.self)
        #expect(pod.status?.phase == "Failed")
        let terminated = try #require(pod.status?.containerStatuses?.first?.state?.terminated)
        #expect(terminated.exitCode == 3)
        #expect(terminated.reason == "Error")
        #expect(terminated.message == "disk full\n")
    }

    @Test("given the Lease create and renew (16a), when decoded, then MicroTimes have six digits and re-format identically")
    func lease() throws {
        let created = try body("16a-lease", 1, as: Lease.self)
        #expect(created.spec?.holderIdentity == "lifeboat-7f9c5d-x2x4q_3b1f")
        #expect(created.spec?.leaseDurationSeconds == 15)
        #expect(created.spec?.leaseTransitions == 0)
        #expect(created.metadata.generation == nil)
        let renewed = try body("16a-lease", 2, as: Lease.self)
        let renewTime = try #require(renewed.spec?.renewTime)
        #expect(renewTime == "2026-11-21T09:53:20.333656Z")
        let date = try #require(KubernetesTime.parse(renewTime))
        #expect(KubernetesTime.formatMicro(date) == renewTime)
        #expect(KubernetesTime.format(date) == "2026-11-21T09:53:20Z")
        let stale = try body("16a-lease", 3, as: Status.self)
        #expect(stale.reason == "Conflict")
        #expect(stale.code == 409)
    }

    @Test("given the events.k8s.io Event (17a), when decoded, then every field the controller writes is read back")
    func event() throws {
        let event = try body("17a-events-k8s-io-v1", 1, as: Event.self)
        #expect(event.eventTime == "2026-11-21T09:53:47.638081Z")
        #expect(event.reportingController == "lifeboat.dev/controller")
        #expect(event.reportingInstance == "lifeboat-7f9c5d-x2x4q")
        #expect(event.action == "Reconcile")
        #expect(event.reason == "BackupScheduled")
        #expect(event.type == "Normal")
        #expect(event.note == "CronJob orders-backup created for schedule 0 2 * * *")
        #expect(event.regarding?.kind == "BackupPolicy")
        #expect(event.regarding?.uid == "5adf8de6-fa47-4549-a7aa-78ea4d2ab11f")
        #expect(event.series == nil)
        let date = try #require(KubernetesTime.parse(event.eventTime ?? ""))
        #expect(KubernetesTime.formatMicro(date) == event.eventTime)

        let invalid = try body("17a-events-k8s-io-v1", 2, as: Status.self)
        #expect(invalid.code == 422)
        #expect(invalid.details?.causes?.map(\.field) == ["eventTime", "type"])
    }

    @Test("given the API error bodies, when decoded as Status, then reason, code, details and causes are kept", arguments: [
        ("03-not-found", 1, 404, "NotFound", "backuppolicies"),
        ("03-not-found", 3, 404, "NotFound", "namespaces"),
        ("04a-conflict-409", 1, 409, "AlreadyExists", "backuppolicies"),
        ("04a-conflict-409", 2, 409, "Conflict", "backuppolicies"),
        ("12d-delete-responses", 1, 409, "Conflict", "BackupPolicy"),
    ])
    func statusBodies(file: String, number: Int, code: Int, reason: String, detailsKind: String) throws {
        let exchange = try WireSamples.exchange(file, number)
        let response = try #require(exchange.response)
        let status = try JSONDecoder().decode(Status.self, from: Data(response.body.utf8))
        #expect(response.statusCode == code)
        #expect(status.code == code)
        #expect(status.reason == reason)
        #expect(status.status == "Failure")
        #expect(status.details?.kind == detailsKind)
        let error = KubernetesError(status: status, httpStatus: response.statusCode)
        #expect(error.isNotFound == (reason == "NotFound"))
        #expect(error.isConflict == (reason == "Conflict"))
        #expect(error.isAlreadyExists == (reason == "AlreadyExists"))
        #expect(error.message == status.message)
    }

    @Test("given the validation errors (08a), when decoded, then each cause names its field")
    func validationCauses() throws {
        let status = try body("08a-validation-422", 1, as: Status.self)
        #expect(status.code == 422)
        #expect(status.reason == "Invalid")
        let causes = try #require(status.details?.causes)
        #expect(!causes.isEmpty)
        #expect(causes.allSatisfy { $0.field?.hasPrefix("spec.") == true || $0.field == "<nil>" })
        #expect(KubernetesError(status: status).isInvalid)
    }

    @Test("given the SSA conflict (07b), when decoded, then the FieldManagerConflict cause names the field with a leading dot")
    func applyConflict() throws {
        let status = try body("07b-ssa-conflict-and-force", 1, as: Status.self)
        #expect(status.code == 409)
        #expect(status.reason == "Conflict")
        let cause = try #require(status.details?.causes?.first)
        #expect(cause.reason == "FieldManagerConflict")
        #expect(cause.field?.hasPrefix(".spec") == true)
        #expect(KubernetesError(status: status, httpStatus: 409).isConflict)
    }

    @Test("given the immediate deletes (12d), when decoded, then a Success Status carries details.uid")
    func deleteStatus() throws {
        let custom = try body("12d-delete-responses", 2, as: Status.self)
        #expect(custom.status == "Success")
        #expect(custom.details?.uid == "7711c478-d5e7-4170-9e5e-726b315e7b3f")
        #expect(custom.details?.group == "lifeboat.dev")
        let configMap = try body("12d-delete-responses", 3, as: Status.self)
        #expect(configMap.details?.kind == "configmaps")
        #expect(configMap.details?.group == nil)
    }

    @Test("given the paginated list (09a), when decoded, then items, continue and remainingItemCount are read")
    func paginatedList() throws {
        let first = try body("09a-list-paginated", 1, as: ResourceList<TestPolicy>.self)
        #expect(first.items.map(\.metadata.name) == ["bp-1", "bp-2"])
        #expect(first.metadata?.remainingItemCount == 4)
        #expect(first.metadata?.resourceVersion == "324")
        #expect(first.metadata?.continue?.isEmpty == false)
        let last = try body("09a-list-paginated", 3, as: ResourceList<TestPolicy>.self)
        #expect(last.items.map(\.metadata.name) == ["bp-5", "bp-6"])
        #expect(last.metadata?.continue == "")
        #expect(last.metadata?.remainingItemCount == nil)
    }

    @Test("given the watch lines of 10a, 11a and 12c, when parsed, then events, bookmarks and the 410 ERROR come out typed")
    func watchLines() throws {
        func lines(_ file: String, _ number: Int) throws -> [Data] {
            let response = try #require(try WireSamples.exchange(file, number).response)
            return response.body.split(separator: "\n").filter { $0.hasPrefix("{") }.map { Data($0.utf8) }
        }
        let updates = try lines("10a-watch-events-and-bookmark", 1).map { try WatchLine<TestPolicy>.parse($0, label: "10a") }
        #expect(updates.map(\.type) == [.added, .modified, .modified, .deleted, .bookmark, .bookmark, .bookmark])
        #expect(updates.map(\.resourceVersion) == ["354", "355", "356", "358", "358", "358", "358"])
        #expect(updates[2].object?.status?["phase"] == .string("Ready"))
        guard case .bookmark(let bookmark) = updates[4] else { Issue.record("expected a bookmark"); return }
        #expect(bookmark.resourceVersion == "358")
        #expect(!bookmark.isInitialEventsEnd)

        let error = try #require(try lines("11a-watch-too-old-and-too-new", 1).first)
        do {
            _ = try WatchLine<TestPolicy>.parse(error, label: "11a")
            Issue.record("an ERROR event must throw")
        } catch let error as KubernetesError {
            #expect(error.isGone)
            #expect(error.reason == "Expired")
            #expect(error.statusCode == 410)
            #expect(error.message.contains("too old resource version: 1 (226)"))
        }

        let finalizerWatch = try lines("12c-finalizers-watch", 1).map { try WatchLine<TestPolicy>.parse($0, label: "12c") }
        #expect(finalizerWatch.map(\.type) == [.added, .modified, .deleted])
        #expect(finalizerWatch[1].object?.metadata.deletionTimestamp != nil)
    }

    @Test("given the initial-events watch (10b), when parsed, then the closing bookmark says initial-events-end")
    func initialEventsEnd() throws {
        let exchanges = try WireSamples.exchanges("10b-watch-send-initial-events")
        let bookmarks = try exchanges.flatMap { exchange -> [WatchBookmark] in
            let body = exchange.response?.body ?? ""
            return try body.split(separator: "\n").filter { $0.hasPrefix("{") }.compactMap {
                if case .bookmark(let bookmark) = try WatchLine<TestPolicy>.parse(Data($0.utf8), label: "10b") { return bookmark }
                return nil
            }
        }
        #expect(bookmarks.contains { $0.isInitialEventsEnd })
    }
}

@Suite("References between objects")
struct ReferenceTests {
    @Test("given the CronJob of 14a, when a child refers to it, then the controller reference matches the one the Job of 14c carries")
    func controllerReference() throws {
        let cronJob = try JSONDecoder().decode(CronJob.self, from: Data(try #require(try WireSamples.exchange("14a-cronjob-create-defaults", 1).response).body.utf8))
        let job = try JSONDecoder().decode(Job.self, from: Data(try #require(try WireSamples.exchange("14c-cronjob-job-complete", 1).response).body.utf8))
        #expect(OwnerReference.controller(of: cronJob) == job.metadata.ownerReferences?.first)
        #expect(OwnerReference.controller(of: CronJob(metadata: ObjectMeta(name: "unsaved"))) == nil)
        let reference = ObjectReference(to: job)
        #expect(reference.kind == "Job")
        #expect(reference.apiVersion == "batch/v1")
        #expect(reference.name == "orders-backup-29920912")
        #expect(reference.resourceVersion == "545")
    }
}

@Suite("Secret data")
struct SecretTests {
    @Test("given a Secret as the server returns it, when reading a key, then the base64 value is decoded; a missing or broken key is nil")
    func decodedValue() throws {
        let json = #"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"pg","namespace":"demo"},"data":{"password":"aHVudGVyMg==","broken":"***"},"type":"Opaque"}"#
        let secret = try JSONDecoder().decode(Secret.self, from: Data(json.utf8))
        #expect(secret.decodedValue(forKey: "password") == Data("hunter2".utf8))
        #expect(secret.decodedValue(forKey: "broken") == nil)
        #expect(secret.decodedValue(forKey: "user") == nil)
        #expect(secret.type == "Opaque")
        #expect(Secret.descriptor.apiVersion == "v1")
    }
}
