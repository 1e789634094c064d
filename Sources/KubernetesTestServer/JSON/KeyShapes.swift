/// Go struct field orders of the API types the server emits (see the k8s-wire samples 02a, 03, 09b, 14a, 17a).
enum KeyShapes {
    static let managedFieldsEntry = KeyShape(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource"])
    static let ownerReference = KeyShape(["apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion"])

    /// `ObjectMeta` in Go struct order.
    static let objectMeta = KeyShape(
        ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
         "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
         "managedFields"],
        ["ownerReferences": ownerReference, "managedFields": managedFieldsEntry])

    static let listMeta = KeyShape(["selfLink", "resourceVersion", "continue", "remainingItemCount"])

    static let statusCause = KeyShape(["reason", "message", "field"])
    static let statusDetails = KeyShape(["name", "group", "kind", "uid", "causes", "retryAfterSeconds"],
                                        ["causes": statusCause])
    /// `metav1.Status`.
    static let status = KeyShape(["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"],
                                 ["metadata": listMeta, "details": statusDetails])

    static let container = KeyShape(
        ["name", "image", "command", "args", "workingDir", "ports", "envFrom", "env", "resources", "resizePolicy",
         "restartPolicy", "volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
         "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy", "securityContext", "stdin", "stdinOnce", "tty"],
        ["env": KeyShape(["name", "value", "valueFrom"])])
    static let podSpec = KeyShape(
        ["volumes", "initContainers", "containers", "ephemeralContainers", "restartPolicy", "terminationGracePeriodSeconds",
         "activeDeadlineSeconds", "dnsPolicy", "nodeSelector", "serviceAccountName", "serviceAccount",
         "automountServiceAccountToken", "nodeName", "hostNetwork", "hostPID", "hostIPC", "shareProcessNamespace",
         "securityContext", "imagePullSecrets", "hostname", "subdomain", "affinity", "schedulerName", "tolerations"],
        ["containers": container, "initContainers": container])
    static let podTemplate = KeyShape(["metadata", "spec"], ["metadata": objectMeta, "spec": podSpec])
    static let jobSpec = KeyShape(
        ["parallelism", "completions", "activeDeadlineSeconds", "podFailurePolicy", "successPolicy", "backoffLimit",
         "backoffLimitPerIndex", "maxFailedIndexes", "selector", "manualSelector", "template", "ttlSecondsAfterFinished",
         "completionMode", "suspend", "podReplacementPolicy", "managedBy"],
        ["template": podTemplate])
    static let jobCondition = KeyShape(["type", "status", "lastProbeTime", "lastTransitionTime", "reason", "message"])
    static let jobStatus = KeyShape(
        ["conditions", "startTime", "completionTime", "active", "succeeded", "failed", "terminating", "completedIndexes",
         "failedIndexes", "uncountedTerminatedPods", "ready"], ["conditions": jobCondition])
    static let cronJobSpec = KeyShape(
        ["schedule", "timeZone", "startingDeadlineSeconds", "concurrencyPolicy", "suspend", "jobTemplate",
         "successfulJobsHistoryLimit", "failedJobsHistoryLimit"],
        ["jobTemplate": KeyShape(["metadata", "spec"], ["metadata": objectMeta, "spec": jobSpec])])

    private static func top(_ extra: [String] = [], _ children: [String: KeyShape] = [:]) -> KeyShape {
        var c = children
        c["metadata"] = objectMeta
        return KeyShape(["kind", "apiVersion", "metadata"] + extra + ["spec", "status"], c)
    }

    static let generic = top()
    static let cronJob = top([], ["spec": cronJobSpec])
    static let job = top([], ["spec": jobSpec, "status": jobStatus])
    static let pod = top([], ["spec": podSpec])
    static let deployment = top([], ["spec": KeyShape(["replicas", "selector", "template", "strategy", "minReadySeconds",
                                                       "revisionHistoryLimit", "paused", "progressDeadlineSeconds"],
                                                      ["template": podTemplate])])
    static let configMap = top(["immutable", "data", "binaryData"])
    static let secret = top(["immutable", "data", "stringData", "type"])
    static let coreEvent = top(["involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count",
                                "type", "eventTime", "series", "action", "related", "reportingComponent", "reportingInstance"],
                               ["involvedObject": KeyShape(["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])])
    static let eventsV1Event = top(["eventTime", "series", "reportingController", "reportingInstance", "action", "reason",
                                    "regarding", "related", "note", "type", "deprecatedSource", "deprecatedFirstTimestamp",
                                    "deprecatedLastTimestamp", "deprecatedCount"],
                                   ["regarding": KeyShape(["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"])])
    static let lease = top([], ["spec": KeyShape(["holderIdentity", "leaseDurationSeconds", "acquireTime", "renewTime",
                                                  "leaseTransitions", "strategy", "preferredHolder"])])

    /// A built-in list envelope: `kind, apiVersion, metadata, items`.
    static func list(item: KeyShape?) -> KeyShape {
        var c: [String: KeyShape] = ["metadata": listMeta]
        c["items"] = item
        return KeyShape(["kind", "apiVersion", "metadata", "items"], c)
    }

    /// A watch event around an object of the given shape.
    static func watchEvent(object: KeyShape?) -> KeyShape {
        var c: [String: KeyShape] = [:]
        c["object"] = object
        return KeyShape(["type", "object"], c)
    }
}
