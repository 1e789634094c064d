import Foundation
import LifeboatAPI

/// Checks a BackupPolicy beyond what the CRD schema can say: cron syntax, time zones, repository kind, retention,
/// and that every referenced Secret key and PersistentVolumeClaim exists. Pure: cluster state comes from `lookups`.
public enum PolicyValidator {
    /// Every problem with `policy`, in field order; empty means valid.
    public static func validate(_ policy: BackupPolicy, lookups: any PolicyLookups) -> [ValidationProblem] {
        guard let spec = policy.spec else {
            return [ValidationProblem(field: "spec", reason: .specMissing, message: "spec is missing; write spec.server, spec.repository and spec.schedules")]
        }
        let namespace = policy.metadata.namespace ?? "default"
        var problems: [ValidationProblem] = []
        problems += validateServer(spec.server)
        problems += validateRepository(spec.repository)
        problems += validateSchedules(spec)
        problems += validateRetention(spec.retention)
        problems += validateOptions(spec)
        problems += validateReferences(spec, namespace: namespace, lookups: lookups)
        return problems
    }

    static func validateServer(_ server: PostgresServerSpec) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        if server.host.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.init(field: "spec.server.host", reason: .invalidServer, message: "host is empty; set it to the PostgreSQL Service, e.g. db-rw.prod.svc"))
        }
        if let port = server.port, !(1...65_535).contains(port) {
            problems.append(.init(field: "spec.server.port", reason: .invalidServer, message: "port \(port) is not a TCP port; use 1-65535 (PostgreSQL's default is 5432)"))
        }
        let listsDatabases = !(server.databases ?? []).isEmpty
        let all = server.all ?? false
        if listsDatabases == all {
            let message = all
                ? "both databases and all: true are set; keep one"
                : "no databases chosen; list them in databases or set all: true"
            problems.append(.init(field: "spec.server.databases", reason: .invalidDatabases, message: message))
        }
        for (index, name) in (server.databases ?? []).enumerated() where name.isEmpty || name.utf8.count > 63 {
            problems.append(.init(field: "spec.server.databases[\(index)]", reason: .invalidDatabases, message: "database name \"\(name)\" must be 1-63 bytes long"))
        }
        if server.user == nil && server.credentials.usernameKey == nil {
            problems.append(.init(field: "spec.server.user", reason: .userMissing, message: "no user name; set spec.server.user or spec.server.credentials.usernameKey"))
        }
        let mode = server.tls?.effectiveSSLMode ?? PostgresTLS.defaultSSLMode
        if mode.verifiesServer && server.tls?.caSecret == nil {
            problems.append(.init(
                field: "spec.server.tls.caSecret", reason: .caSecretRequired,
                message: "sslMode \(mode.rawValue)\(server.tls?.sslMode == nil ? " (the default)" : "") verifies the server certificate and needs the CA that signed it; set spec.server.tls.caSecret, or write a weaker sslMode such as require explicitly"
            ))
        }
        return problems
    }

    static func validateRepository(_ repository: RepositorySpec) -> [ValidationProblem] {
        switch (repository.s3, repository.volume) {
        case (.some, .some):
            return [.init(field: "spec.repository", reason: .repositoryAmbiguous, message: "both s3 and volume are set; keep exactly one repository kind")]
        case (.none, .none):
            return [.init(field: "spec.repository", reason: .repositoryMissing, message: "no repository; set spec.repository.s3 (a bucket) or spec.repository.volume (a PersistentVolumeClaim)")]
        case (.some(let s3), .none):
            var problems: [ValidationProblem] = []
            if s3.bucket.isEmpty {
                problems.append(.init(field: "spec.repository.s3.bucket", reason: .repositoryMissing, message: "bucket is empty; name an existing bucket"))
            }
            if let endpoint = s3.endpoint, URL(string: endpoint)?.host == nil || !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
                problems.append(.init(field: "spec.repository.s3.endpoint", reason: .invalidRepository, message: "endpoint \"\(endpoint)\" is not an http(s) URL; write e.g. https://minio.storage.svc:9000, or leave it empty for AWS"))
            }
            return problems
        case (.none, .some(let volume)):
            if let path = volume.path, path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                return [.init(field: "spec.repository.volume.path", reason: .invalidRepository, message: "path \"\(path)\" must be relative to the volume's root and must not contain ..")]
            }
            return []
        }
    }

    static func validateSchedules(_ spec: BackupPolicySpec) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        if spec.schedules.logical == nil && spec.schedules.base == nil {
            problems.append(.init(field: "spec.schedules", reason: .noSchedule, message: "no schedule; set spec.schedules.logical and/or spec.schedules.base"))
        }
        for kind in BackupKind.allCases {
            guard let schedule = spec.schedules[kind] else { continue }
            let field = "spec.schedules.\(kind.rawValue)"
            if let problem = checkCron(schedule.schedule, field: "\(field).schedule") { problems.append(problem) }
            if let zone = schedule.timeZone, let problem = checkTimeZone(zone, field: "\(field).timeZone") { problems.append(problem) }
        }
        if let check = spec.check?.schedule {
            if SeededSchedule.macros.contains(check) {
                problems.append(.init(field: "spec.check.schedule", reason: .invalidSchedule, message: "the check schedule takes a cron expression or a macro, not \(check); the default is \(CheckSpec.defaultSchedule)"))
            } else if let problem = checkCron(check, field: "spec.check.schedule") {
                problems.append(problem)
            }
        }
        return problems
    }

    /// A problem when `schedule` is not a valid cron expression, macro or seeded macro.
    public static func checkCron(_ schedule: String, field: String) -> ValidationProblem? {
        if SeededSchedule.macros.contains(schedule.trimmingCharacters(in: .whitespaces)) { return nil }
        do {
            _ = try CronExpression(schedule)
            return nil
        } catch {
            return ValidationProblem(
                field: field, reason: .invalidSchedule,
                message: "schedule \"\(schedule)\" is invalid: \(error.description); write five cron fields such as \"30 2 * * *\", a macro such as @daily, or @daily-random"
            )
        }
    }

    /// A problem when `zone` is not an IANA time zone the CronJob controller accepts.
    public static func checkTimeZone(_ zone: String, field: String) -> ValidationProblem? {
        if TimeZoneNames.isValid(zone) { return nil }
        return ValidationProblem(
            field: field, reason: .invalidTimeZone,
            message: "unknown time zone \"\(zone)\"; use an IANA name such as Europe/Berlin or America/New_York, or leave it empty for UTC"
        )
    }

    static func validateRetention(_ retention: RetentionSpec?) -> [ValidationProblem] {
        guard let retention else { return [] }
        var problems: [ValidationProblem] = []
        for (field, value) in retention.counts {
            if let value, value < 0 {
                problems.append(.init(field: "spec.retention.\(field)", reason: .invalidRetention, message: "\(field) is \(value); retention counts must be 0 or more"))
            }
        }
        if let maxAge = retention.maxAge, PolicyDuration(maxAge) == nil {
            problems.append(.init(field: "spec.retention.maxAge", reason: .invalidRetention, message: "maxAge \"\(maxAge)\" is not a duration; write e.g. 90d or 12w (units s, m, h, d, w)"))
        }
        return problems
    }

    static func validateOptions(_ spec: BackupPolicySpec) -> [ValidationProblem] {
        var problems: [ValidationProblem] = []
        if let freshness = spec.freshness {
            if let duration = PolicyDuration(freshness) {
                if duration.seconds == 0 {
                    problems.append(.init(field: "spec.freshness", reason: .invalidDuration, message: "freshness 0 makes every backup stale; write e.g. 26h"))
                }
            } else {
                problems.append(.init(field: "spec.freshness", reason: .invalidDuration, message: "freshness \"\(freshness)\" is not a duration; write e.g. 26h or 8d (units s, m, h, d, w)"))
            }
        }
        if let compression = spec.compression, let level = compression.level {
            let algorithm = compression.effectiveAlgorithm
            if let maximum = algorithm.maximumLevel {
                if !(1...maximum).contains(level) {
                    problems.append(.init(field: "spec.compression.level", reason: .invalidCompression, message: "level \(level) is out of range for \(algorithm.rawValue); use 1-\(maximum)"))
                }
            } else {
                problems.append(.init(field: "spec.compression.level", reason: .invalidCompression, message: "algorithm none takes no level; remove spec.compression.level"))
            }
        }
        if let tolerations = spec.pod?.tolerations {
            do {
                _ = try WorkerPodTemplate.tolerations(tolerations)
            } catch {
                problems.append(.init(field: "spec.pod.tolerations", reason: .invalidPodSettings, message: "\(error.description.replacingOccurrences(of: "spec.pod.tolerations: ", with: "")); write them as in a Pod spec"))
            }
        }
        if let slot = spec.wal?.slotName, slot.isEmpty || slot.utf8.count > 63 || !slot.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) {
            problems.append(.init(field: "spec.wal.slotName", reason: .invalidWAL, message: "slot name \"\(slot)\" may contain only lower-case letters, digits and underscores (at most 63)"))
        }
        return problems
    }
}
