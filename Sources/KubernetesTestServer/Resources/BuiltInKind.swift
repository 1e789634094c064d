import Foundation

/// The built-in resources the server knows, with their Go key order, server defaults and (minimal) validation.
enum BuiltInKind: Sendable {
    case namespace, secret, configMap, persistentVolumeClaim, pod, coreEvent, eventsV1Event, job, cronJob, deployment, lease

    var shape: KeyShape {
        switch self {
        case .cronJob: return KeyShapes.cronJob
        case .job: return KeyShapes.job
        case .pod: return KeyShapes.pod
        case .deployment: return KeyShapes.deployment
        case .configMap: return KeyShapes.configMap
        case .secret: return KeyShapes.secret
        case .coreEvent: return KeyShapes.coreEvent
        case .eventsV1Event: return KeyShapes.eventsV1Event
        case .lease: return KeyShapes.lease
        case .namespace, .persistentVolumeClaim: return KeyShapes.generic
        }
    }

    /// Every built-in the server registers at start.
    static let all: [ResourceDefinition] = [
        make(.namespace, "", "v1", "Namespace", "namespaces", namespaced: false, status: true, generation: false),
        make(.secret, "", "v1", "Secret", "secrets", status: false, generation: false),
        make(.configMap, "", "v1", "ConfigMap", "configmaps", status: false, generation: false),
        make(.persistentVolumeClaim, "", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", status: true, generation: false),
        make(.pod, "", "v1", "Pod", "pods", status: true, generation: true),
        make(.coreEvent, "", "v1", "Event", "events", status: false, generation: false),
        make(.eventsV1Event, "events.k8s.io", "v1", "Event", "events", status: false, generation: false),
        make(.job, "batch", "v1", "Job", "jobs", status: true, generation: true),
        make(.cronJob, "batch", "v1", "CronJob", "cronjobs", status: true, generation: true),
        make(.deployment, "apps", "v1", "Deployment", "deployments", status: true, generation: true),
        make(.lease, "coordination.k8s.io", "v1", "Lease", "leases", status: false, generation: false),
    ]

    private static func make(_ kind: BuiltInKind, _ group: String, _ version: String, _ k: String, _ plural: String,
                             namespaced: Bool = true, status: Bool, generation: Bool) -> ResourceDefinition {
        var d = ResourceDefinition(group: group, version: version, kind: k, plural: plural, namespaced: namespaced,
                                   hasStatusSubresource: status, hasGeneration: generation)
        d.builtIn = kind
        return d
    }

    /// Fields the real server fills on create (and on update, for the pod template), samples 02a, 14a, 14c, 15a.
    func applyDefaults(_ obj: inout JSONValue, uid: String) {
        switch self {
        case .namespace:
            let name = obj[path: "metadata", "name"]?.stringValue ?? ""
            var labels = obj[path: "metadata", "labels"] ?? .object([:])
            labels["kubernetes.io/metadata.name"] = .string(name)
            obj["metadata"]?["labels"] = labels
            obj["spec"] = .object(["finalizers": .array([.string("kubernetes")])])
            if obj["status"] == nil { obj["status"] = .object(["phase": .string("Active")]) }
        case .secret:
            if obj["type"] == nil { obj["type"] = .string("Opaque") }
            // stringData is write-only: the server folds it into data, base64-encoded.
            if let stringData = obj["stringData"]?.objectValue {
                var data = obj["data"]?.objectValue ?? [:]
                for (k, v) in stringData { data[k] = .string(Data((v.stringValue ?? "").utf8).base64EncodedString()) }
                obj["data"] = .object(data)
                obj["stringData"] = nil
            }
        case .cronJob:
            var spec = obj["spec"] ?? .object([:])
            fill(&spec, "suspend", .bool(false))
            fill(&spec, "concurrencyPolicy", .string("Allow"))
            fill(&spec, "successfulJobsHistoryLimit", .int(3))
            fill(&spec, "failedJobsHistoryLimit", .int(1))
            var jt = spec["jobTemplate"] ?? .object([:])
            fill(&jt, "metadata", .object([:]))
            if var js = jt["spec"] { BuiltInKind.defaultPodTemplate(&js); jt["spec"] = js }
            spec["jobTemplate"] = jt
            obj["spec"] = spec
            if obj["status"] == nil { obj["status"] = .object([:]) }
        case .job:
            let name = obj[path: "metadata", "name"]?.stringValue ?? ""
            var spec = obj["spec"] ?? .object([:])
            fill(&spec, "parallelism", .int(1))
            fill(&spec, "completions", .int(1))
            fill(&spec, "backoffLimit", .int(6))
            fill(&spec, "completionMode", .string("NonIndexed"))
            fill(&spec, "suspend", .bool(false))
            fill(&spec, "podReplacementPolicy", .string("TerminatingOrFailed"))
            if spec["manualSelector"]?.boolValue != true {
                spec["manualSelector"] = .bool(false)
                let jobLabels: [String: JSONValue] = [
                    "batch.kubernetes.io/controller-uid": .string(uid), "batch.kubernetes.io/job-name": .string(name),
                    "controller-uid": .string(uid), "job-name": .string(name),
                ]
                if spec["selector"] == nil {
                    spec["selector"] = .object(["matchLabels": .object(["batch.kubernetes.io/controller-uid": .string(uid)])])
                }
                var tmeta = spec[path: "template", "metadata"] ?? .object([:])
                var tl = tmeta["labels"]?.objectValue ?? [:]
                for (k, v) in jobLabels where tl[k] == nil { tl[k] = v }
                tmeta["labels"] = .object(tl)
                spec["template"]?["metadata"] = tmeta
                var ol = obj[path: "metadata", "labels"]?.objectValue ?? [:]
                for (k, v) in jobLabels where ol[k] == nil { ol[k] = v }
                obj["metadata"]?["labels"] = .object(ol)
            }
            BuiltInKind.defaultPodTemplate(&spec)
            obj["spec"] = spec
            if obj["status"] == nil { obj["status"] = .object([:]) }
        case .deployment:
            var spec = obj["spec"] ?? .object([:])
            fill(&spec, "replicas", .int(1))
            fill(&spec, "revisionHistoryLimit", .int(10))
            fill(&spec, "progressDeadlineSeconds", .int(600))
            fill(&spec, "strategy", .object(["type": .string("RollingUpdate"), "rollingUpdate": .object(
                ["maxUnavailable": .string("25%"), "maxSurge": .string("25%")])]))
            BuiltInKind.defaultPodTemplate(&spec)
            obj["spec"] = spec
            if obj["status"] == nil { obj["status"] = .object([:]) }
        case .pod:
            if var spec = obj["spec"] { BuiltInKind.defaultPodSpec(&spec); obj["spec"] = spec }
            if obj["status"] == nil { obj["status"] = .object(["phase": .string("Pending")]) }
        case .persistentVolumeClaim:
            if obj["spec"]?["volumeMode"] == nil, obj["spec"] != nil { obj["spec"]?["volumeMode"] = .string("Filesystem") }
            if obj["status"] == nil { obj["status"] = .object(["phase": .string("Pending")]) }
        case .coreEvent:
            // Go's non-pointer fields of core/v1 Event come out even when empty (17b).
            if obj["eventTime"] == nil { obj["eventTime"] = .null }
            if obj["reportingComponent"] == nil { obj["reportingComponent"] = .string("") }
            if obj["reportingInstance"] == nil { obj["reportingInstance"] = .string("") }
            if obj["firstTimestamp"] == nil { obj["firstTimestamp"] = .null }
            if obj["lastTimestamp"] == nil { obj["lastTimestamp"] = .null }
            if obj["source"] == nil { obj["source"] = .object([:]) }
        case .eventsV1Event:
            if obj["deprecatedSource"] == nil { obj["deprecatedSource"] = .object([:]) }
            if obj["deprecatedFirstTimestamp"] == nil { obj["deprecatedFirstTimestamp"] = .null }
            if obj["deprecatedLastTimestamp"] == nil { obj["deprecatedLastTimestamp"] = .null }
        case .lease, .configMap:
            break
        }
    }

    /// Defaults inside `spec.template` of a Job, CronJob job template or Deployment.
    static func defaultPodTemplate(_ spec: inout JSONValue) {
        guard var template = spec["template"] else { return }
        if template["metadata"] == nil { template["metadata"] = .object([:]) }
        if var ps = template["spec"] { defaultPodSpec(&ps); template["spec"] = ps }
        spec["template"] = template
    }

    static func defaultPodSpec(_ ps: inout JSONValue) {
        for list in ["containers", "initContainers"] {
            guard let containers = ps[list]?.arrayValue else { continue }
            ps[list] = .array(containers.map { c in
                var c = c
                fill(&c, "resources", .object([:]))
                fill(&c, "terminationMessagePath", .string("/dev/termination-log"))
                fill(&c, "terminationMessagePolicy", .string("File"))
                if c["imagePullPolicy"] == nil {
                    let image = c["image"]?.stringValue ?? ""
                    let tagged = image.split(separator: "/").last.map { $0.contains(":") } ?? false
                    let latest = image.hasSuffix(":latest") || !tagged
                    c["imagePullPolicy"] = .string(latest && !image.contains("@") ? "Always" : "IfNotPresent")
                }
                return c
            })
        }
        fill(&ps, "restartPolicy", .string("Always"))
        fill(&ps, "terminationGracePeriodSeconds", .int(30))
        fill(&ps, "dnsPolicy", .string("ClusterFirst"))
        fill(&ps, "securityContext", .object([:]))
        fill(&ps, "schedulerName", .string("default-scheduler"))
    }

    private static func fill(_ o: inout JSONValue, _ key: String, _ value: JSONValue) {
        if o[key] == nil { o[key] = value }
    }
    private func fill(_ o: inout JSONValue, _ key: String, _ value: JSONValue) { BuiltInKind.fill(&o, key, value) }
}
