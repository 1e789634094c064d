import Foundation

/// Why a simulated controller step could not be done (the object is missing or has no usable template).
public struct WorkloadSimulationError: Error, CustomStringConvertible {
    /// What went wrong, naming the object.
    public let description: String
}

/// Stand-ins for kube-controller-manager and the kubelet, which do not run here: they write exactly what the real
/// CronJob and Job controllers and a kubelet write (samples 14c, 14d, 14e, 14f, 15a, 15b), through the same store
/// logic as API requests, so watches see the same events.
extension KubernetesTestServer {
    /// What the CronJob controller does at a scheduled time: creates the Job `<cronjob>-<minutes since the epoch>`
    /// from the job template (its labels and annotations, plus `batch.kubernetes.io/cronjob-scheduled-timestamp` in
    /// the CronJob's time zone and a controller ownerReference), then lists it in the CronJob's `status.active` and
    /// sets `status.lastScheduleTime`. Returns the Job.
    @discardableResult
    public func runCronJob(namespace: String, name: String, scheduledAt: Date) throws(WorkloadSimulationError) -> JSONValue {
        do {
            return try store.locked { () throws(APIError) -> JSONValue in try runCronJobLocked(namespace, name, scheduledAt) }
        } catch {
            throw WorkloadSimulationError(description: error.message)
        }
    }

    private func runCronJobLocked(_ namespace: String, _ name: String, _ scheduledAt: Date) throws(APIError) -> JSONValue {
        let cronDef = store.definitions["batch/v1/cronjobs"]!
        let jobDef = store.definitions["batch/v1/jobs"]!
        guard let cron = store.stored(cronDef, namespace, name) else { throw APIError.notFound(cronDef, name) }
        let template = cron[path: "spec", "jobTemplate"] ?? .object([:])
        let jobName = "\(name)-\(Int(scheduledAt.timeIntervalSince1970 / 60))"
        var annotations = template[path: "metadata", "annotations"]?.objectValue ?? [:]
        let zone = cron[path: "spec", "timeZone"]?.stringValue.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = .string(Self.rfc3339(scheduledAt, in: zone))
        var metadata: [String: JSONValue] = [
            "name": .string(jobName), "namespace": .string(namespace), "annotations": .object(annotations),
            "ownerReferences": [Self.controllerReference(cron, apiVersion: "batch/v1", kind: "CronJob")],
        ]
        metadata["labels"] = template[path: "metadata", "labels"]
        let job: JSONValue = .object(["apiVersion": "batch/v1", "kind": "Job", "metadata": .object(metadata),
                                      "spec": template["spec"] ?? .object([:])])
        let created = try store.insert(jobDef, job, ctx: Self.systemContext(namespace, jobName), entries: nil)
        var status = cron["status"] ?? .object([:])
        var active = status["active"]?.arrayValue ?? []
        active.append(["kind": "Job", "namespace": .string(namespace), "name": .string(jobName),
                       "uid": created[path: "metadata", "uid"] ?? "", "apiVersion": "batch/v1",
                       "resourceVersion": created[path: "metadata", "resourceVersion"] ?? ""])
        status["active"] = .array(active)
        status["lastScheduleTime"] = .string(KubeTime.seconds(scheduledAt))
        var newCron = cron
        newCron["status"] = status
        _ = try store.commitUpdate(cronDef, old: cron, proposed: newCron, ctx: Self.systemContext(namespace, name, status: true))
        return created
    }

    /// What the Job controller and a kubelet do when a Job's pod ends: creates the Pod `<job>-xxxxx` from the template
    /// (labels, controller ownerReference), writes its status with a terminated container (`exitCode`, reason
    /// Completed or Error, the termination message kept verbatim), then the Job's status: `SuccessCriteriaMet` and
    /// `Complete`, or `FailureTarget` and `Failed` (BackoffLimitExceeded), with counters and times. A Job owned by a
    /// CronJob leaves its `status.active`; a success sets `lastSuccessfulTime`.
    @discardableResult
    public func finishJob(namespace: String, name: String, exitCode: Int,
                          terminationMessage: String) throws(WorkloadSimulationError) -> (job: JSONValue, pod: JSONValue) {
        do {
            return try store.locked { () throws(APIError) -> (job: JSONValue, pod: JSONValue) in
                try finishJobLocked(namespace, name, exitCode, terminationMessage)
            }
        } catch {
            throw WorkloadSimulationError(description: error.message)
        }
    }

    private func finishJobLocked(_ namespace: String, _ name: String, _ exitCode: Int,
                                 _ terminationMessage: String) throws(APIError) -> (job: JSONValue, pod: JSONValue) {
        let jobDef = store.definitions["batch/v1/jobs"]!
        let podDef = store.definitions["/v1/pods"]!
        let cronDef = store.definitions["batch/v1/cronjobs"]!
        guard let job = store.stored(jobDef, namespace, name) else { throw APIError.notFound(jobDef, name) }
        let now = KubeTime.seconds()
        let succeeded = exitCode == 0
        var podMeta: [String: JSONValue] = [
            "generateName": .string(name + "-"), "namespace": .string(namespace),
            "ownerReferences": [Self.controllerReference(job, apiVersion: "batch/v1", kind: "Job")],
        ]
        podMeta["labels"] = job[path: "spec", "template", "metadata", "labels"]
        let pod: JSONValue = .object(["apiVersion": "v1", "kind": "Pod", "metadata": .object(podMeta),
                                      "spec": job[path: "spec", "template", "spec"] ?? .object([:])])
        let createdPod = try store.insert(podDef, pod, ctx: Self.systemContext(namespace, nil), entries: nil)
        let podName = createdPod[path: "metadata", "name"]?.stringValue ?? ""
        let containers = createdPod[path: "spec", "containers"]?.arrayValue ?? []
        let statuses: [JSONValue] = containers.enumerated().map { i, c in
            var terminated: [String: JSONValue] = ["exitCode": .int(Int64(i == 0 ? exitCode : 0)),
                                                   "reason": .string(i == 0 && !succeeded ? "Error" : "Completed"),
                                                   "startedAt": .string(now), "finishedAt": .string(now)]
            if i == 0, !terminationMessage.isEmpty { terminated["message"] = .string(terminationMessage) }
            return ["name": c["name"] ?? "", "state": ["terminated": .object(terminated)], "lastState": [:],
                    "ready": false, "restartCount": 0, "image": c["image"] ?? "", "imageID": "", "started": false]
        }
        var finishedPod = createdPod
        finishedPod["status"] = ["phase": .string(succeeded ? "Succeeded" : "Failed"), "startTime": .string(now),
                                 "containerStatuses": .array(statuses), "qosClass": "BestEffort"]
        let podDone = try store.commitUpdate(podDef, old: createdPod, proposed: finishedPod,
                                             ctx: Self.systemContext(namespace, podName, status: true, manager: "kubelet"))

        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            ["type": .string(type), "status": "True", "lastProbeTime": .string(now), "lastTransitionTime": .string(now),
             "reason": .string(reason), "message": .string(message)]
        }
        var status = job["status"]?.objectValue ?? [:]
        status["startTime"] = status["startTime"] ?? .string(now)
        if succeeded {
            let message = "Reached expected number of succeeded pods"
            status["conditions"] = [condition("SuccessCriteriaMet", "CompletionsReached", message),
                                    condition("Complete", "CompletionsReached", message)]
            status["completionTime"] = .string(now)
            status["succeeded"] = .int((status["succeeded"]?.intValue ?? 0) + 1)
        } else {
            let message = "Job has reached the specified backoff limit"
            status["conditions"] = [condition("FailureTarget", "BackoffLimitExceeded", message),
                                    condition("Failed", "BackoffLimitExceeded", message)]
            status["failed"] = .int((status["failed"]?.intValue ?? 0) + 1)
        }
        status["terminating"] = 0
        status["uncountedTerminatedPods"] = [:]
        status["ready"] = 0
        var newJob = job
        newJob["status"] = .object(status)
        let jobDone = try store.commitUpdate(jobDef, old: job, proposed: newJob, ctx: Self.systemContext(namespace, name, status: true))

        let owner = job[path: "metadata", "ownerReferences"]?.arrayValue?.first {
            $0["kind"] == "CronJob" && $0["controller"]?.boolValue == true
        }
        if let cronName = owner?["name"]?.stringValue, let cron = store.stored(cronDef, namespace, cronName) {
            var cronStatus = cron["status"] ?? .object([:])
            let active = (cronStatus["active"]?.arrayValue ?? []).filter { $0["name"]?.stringValue != name }
            cronStatus["active"] = active.isEmpty ? nil : .array(active)
            if succeeded { cronStatus["lastSuccessfulTime"] = .string(now) }
            var newCron = cron
            newCron["status"] = cronStatus
            _ = try store.commitUpdate(cronDef, old: cron, proposed: newCron, ctx: Self.systemContext(namespace, cronName, status: true))
        }
        return (jobDone, podDone)
    }

    /// Creates an object directly, as a POST by `manager` would (defaults, validation, events), e.g. to seed the
    /// Secrets and PVCs a scenario needs. The resource is found from `apiVersion` and `kind`.
    @discardableResult
    public func create(_ object: JSONValue, manager: String = "test-setup") throws(WorkloadSimulationError) -> JSONValue {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let def = store.withLock({ store.definitions.values.first { $0.apiVersion == apiVersion && $0.kind == kind } }) else {
            throw WorkloadSimulationError(description: "no resource is registered for apiVersion \(apiVersion) kind \(kind)")
        }
        let ns = def.namespaced ? (object[path: "metadata", "namespace"]?.stringValue ?? "default") : nil
        let ctx = WriteContext(namespace: ns, name: nil, subresource: nil, manager: manager, dryRun: false, query: [:])
        do {
            return try store.locked { () throws(APIError) -> JSONValue in try store.insert(def, object, ctx: ctx, entries: nil) }
        } catch {
            throw WorkloadSimulationError(description: error.message)
        }
    }

    static func systemContext(_ namespace: String, _ name: String?, status: Bool = false,
                              manager: String = "kube-controller-manager") -> WriteContext {
        WriteContext(namespace: namespace, name: name, subresource: status ? "status" : nil, manager: manager,
                     dryRun: false, query: [:])
    }

    static func controllerReference(_ owner: JSONValue, apiVersion: String, kind: String) -> JSONValue {
        ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": owner[path: "metadata", "name"] ?? "",
         "uid": owner[path: "metadata", "uid"] ?? "", "controller": true, "blockOwnerDeletion": true]
    }

    /// RFC 3339 with the zone's offset (`2026-11-21T10:52:00+01:00`), `Z` for UTC, as Go formats it.
    static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = zone.secondsFromGMT(for: date)
        let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        if offset == 0 { return base + "Z" }
        let sign = offset < 0 ? "-" : "+"
        return base + String(format: "%@%02d:%02d", sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }
}
