import Foundation

/// Decoding checks (400) and validation (422) of built-in kinds, limited to what the controller's objects exercise:
/// MicroTime formats (16b), CronJob schedule and time zone (14b), container images (06c), Event required fields (17a).
enum BuiltInValidation {
    /// A decode failure is answered with 400 BadRequest; `message` is the full Status message.
    struct DecodeError: Error { let message: String }

    /// Normalizes time fields like the Go decoder (MicroTime must have six digits; Time is truncated to seconds).
    static func decode(_ obj: inout JSONValue, kind: BuiltInKind, def: ResourceDefinition) throws(DecodeError) {
        func micro(_ path: [String]) throws(DecodeError) {
            guard let v = get(obj, path), let s = v.stringValue else { return }
            switch KubeTime.normalizeMicroTime(s) {
            case .success(let n): set(&obj, path, .string(n))
            case .failure(let text):
                throw DecodeError(message: "\(def.kind) in version \"\(def.version)\" cannot be handled as a \(def.kind): \(text)")
            }
        }
        func time(_ path: [String]) {
            guard let s = get(obj, path)?.stringValue, let n = KubeTime.normalizeTime(s) else { return }
            set(&obj, path, .string(n))
        }
        switch kind {
        case .lease:
            try micro(["spec", "acquireTime"])
            try micro(["spec", "renewTime"])
        case .eventsV1Event, .coreEvent:
            try micro(["eventTime"])
            for p in ["firstTimestamp", "lastTimestamp", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"] { time([p]) }
        case .job, .cronJob, .pod, .deployment:
            for p in [["status", "startTime"], ["status", "completionTime"], ["status", "lastScheduleTime"],
                      ["status", "lastSuccessfulTime"]] { time(p) }
        default: break
        }
    }

    /// Validation causes for a built-in object (empty when valid).
    static func validate(_ obj: JSONValue, kind: BuiltInKind) -> [ValidationCause] {
        var causes: [ValidationCause] = []
        switch kind {
        case .cronJob:
            let schedule = obj[path: "spec", "schedule"]?.stringValue ?? ""
            if schedule.isEmpty {
                causes.append(.required("spec.schedule"))
            } else if schedule.contains("TZ") {
                causes.append(.invalid("spec.schedule", value: .string(schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"))
            } else if let problem = cronProblem(schedule) {
                causes.append(.invalid("spec.schedule", value: .string(schedule), problem))
            }
            if let tz = obj[path: "spec", "timeZone"]?.stringValue, TimeZone(identifier: tz) == nil || tz.isEmpty {
                causes.append(.invalid("spec.timeZone", value: .string(tz), "unknown time zone \(tz)"))
            }
            causes += containerCauses(obj[path: "spec", "jobTemplate", "spec", "template", "spec"],
                                      at: "spec.jobTemplate.spec.template.spec")
        case .job:
            causes += containerCauses(obj[path: "spec", "template", "spec"], at: "spec.template.spec")
        case .deployment:
            causes += containerCauses(obj[path: "spec", "template", "spec"], at: "spec.template.spec")
        case .pod:
            causes += containerCauses(obj["spec"], at: "spec")
        case .eventsV1Event:
            if obj["eventTime"] == nil || obj["eventTime"]?.isNull == true { causes.append(.required("eventTime")) }
            let type = obj["type"]?.stringValue ?? ""
            if type != "Normal" && type != "Warning" {
                causes.append(.invalid("type", value: .string(type), "has invalid value: \(type)"))
            }
            guard causes.isEmpty else { break }
            let rc = obj["reportingController"]?.stringValue ?? ""
            if rc.isEmpty {
                causes.append(.required("reportingController"))
                causes.append(.invalid("reportingController", value: .string(""), "name part must be non-empty"))
                causes.append(.invalid("reportingController", value: .string(""), "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
            }
            if (obj["reportingInstance"]?.stringValue ?? "").isEmpty { causes.append(.required("reportingInstance")) }
            if (obj["action"]?.stringValue ?? "").isEmpty { causes.append(.required("action")) }
        case .coreEvent:
            // core/v1 validation is loose; the rule the controller can hit is the namespace match (17b).
            let eventNS = obj[path: "metadata", "namespace"]?.stringValue ?? ""
            if let ns = obj[path: "involvedObject", "namespace"]?.stringValue, !ns.isEmpty, ns != eventNS {
                causes.append(.invalid("involvedObject.namespace", value: .string(ns), "does not match event.namespace"))
            }
        default: break
        }
        return causes
    }

    /// Update rules of built-ins: a Job's selector and pod template are immutable; a Pod's spec may change only in
    /// container images, activeDeadlineSeconds and added tolerations. (The real messages print Go values; these
    /// print "object" instead.)
    static func validateUpdate(old: JSONValue, new: JSONValue, kind: BuiltInKind) -> [ValidationCause] {
        switch kind {
        case .job:
            var causes: [ValidationCause] = []
            for field in ["selector", "template"] where old[path: "spec", field] != new[path: "spec", field] {
                causes.append(.invalid("spec.\(field)", value: "object", "field is immutable"))
            }
            return causes
        case .pod:
            func mutableCleared(_ spec: JSONValue?) -> JSONValue? {
                guard var s = spec else { return nil }
                for list in ["containers", "initContainers"] {
                    if let cs = s[list]?.arrayValue { s[list] = .array(cs.map { c in var c = c; c["image"] = nil; return c }) }
                }
                s["activeDeadlineSeconds"] = nil
                s["tolerations"] = nil
                return s
            }
            let oldTolerations = old[path: "spec", "tolerations"]?.arrayValue ?? []
            let newTolerations = new[path: "spec", "tolerations"]?.arrayValue ?? []
            let onlyAdded = newTolerations.starts(with: oldTolerations)
            guard mutableCleared(old["spec"]) != mutableCleared(new["spec"]) || !onlyAdded else { return [] }
            return [ValidationCause(reason: "FieldValueForbidden",
                                    message: "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                                    field: "spec")]
        default:
            return []
        }
    }

    static func containerCauses(_ podSpec: JSONValue?, at base: String) -> [ValidationCause] {
        guard let podSpec else { return [.required(base + ".containers")] }
        guard let containers = podSpec["containers"]?.arrayValue, !containers.isEmpty else {
            return [.required(base + ".containers")]
        }
        var causes: [ValidationCause] = []
        for (i, c) in containers.enumerated() {
            if (c["name"]?.stringValue ?? "").isEmpty { causes.append(.required("\(base).containers[\(i)].name")) }
            if (c["image"]?.stringValue ?? "").isEmpty { causes.append(.required("\(base).containers[\(i)].image")) }
        }
        return causes
    }

    /// A cron expression check with robfig/cron's wording for the common mistakes.
    static func cronProblem(_ schedule: String) -> String? {
        let descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
        if schedule.hasPrefix("@") {
            return descriptors.contains(schedule) || schedule.hasPrefix("@every ") ? nil : "unrecognized descriptor: \(schedule)"
        }
        let fields = schedule.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 5 else { return "expected exactly 5 fields, found \(fields.count): \(schedule)" }
        let limits = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]
        for (field, (lo, hi)) in zip(fields, limits) {
            for part in field.split(separator: ",") {
                let rangePart = part.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
                if rangePart == "*" || rangePart == "?" { continue }
                let bounds = rangePart.split(separator: "-", maxSplits: 1).map(String.init)
                for b in bounds {
                    guard let v = Int(b) else {
                        if fields.firstIndex(of: field)! >= 3, b.count == 3 { continue } // JAN, MON …
                        return "failed to parse int from \(b): strconv.Atoi: parsing \"\(b)\": invalid syntax"
                    }
                    if v > hi { return "end of range (\(v)) above maximum (\(hi)): \(part)" }
                    if v < lo { return "beginning of range (\(v)) below minimum (\(lo)): \(part)" }
                }
            }
        }
        return nil
    }

    static func get(_ obj: JSONValue, _ path: [String]) -> JSONValue? {
        var cur: JSONValue? = obj
        for k in path { cur = cur?[k] }
        return cur
    }

    static func set(_ obj: inout JSONValue, _ path: [String], _ value: JSONValue) {
        guard let first = path.first else { obj = value; return }
        var child = obj[first] ?? .object([:])
        set(&child, Array(path.dropFirst()), value)
        obj[first] = child
    }
}
