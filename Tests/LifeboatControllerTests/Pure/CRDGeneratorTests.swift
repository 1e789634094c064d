import Foundation
import LifeboatAPI
import LifeboatController
import Testing
import Yams

@Suite struct CRDGeneratorTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The generated CRD is committed twice: in CRDs/ and in the Helm chart, which installs it.
    @Test(arguments: ["CRDs", "Helm/lifeboat/crds"])
    func givenCommittedCRD_whenComparedWithGeneratedText_thenTheyAreIdentical(folder: String) throws {
        let generated = CRDGenerator.backupPolicyCRD()
        let url = Self.repositoryRoot.appendingPathComponent(folder).appendingPathComponent(CRDGenerator.backupPolicyFileName)
        if ProcessInfo.processInfo.environment["LIFEBOAT_UPDATE_CRDS"] == "1" {
            try CRDGenerator.write(to: url.deletingLastPathComponent())
        }
        let committed = try? String(contentsOf: url, encoding: .utf8)
        #expect(
            committed == generated,
            "\(folder)/\(CRDGenerator.backupPolicyFileName) differs from the Swift types: run `swift run lifeboat-controller crds --output \(folder)` or set LIFEBOAT_UPDATE_CRDS=1 and run this test to rewrite it"
        )
    }

    @Test func givenGeneratedCRD_whenParsed_thenItHasTheShapeOfTheCRDTheRealServerAccepted() throws {
        let generated = try #require(try Yams.load(yaml: CRDGenerator.backupPolicyCRD()) as? [String: Any])
        let reference = try #require(try Yams.load(yaml: ReferenceCRD.yaml) as? [String: Any])
        #expect(generated["apiVersion"] as? String == reference["apiVersion"] as? String)
        #expect(generated["kind"] as? String == reference["kind"] as? String)
        #expect((generated["metadata"] as? [String: Any])?["name"] as? String == "backuppolicies.lifeboat.dev")

        let spec = try #require(generated["spec"] as? [String: Any])
        let referenceSpec = try #require(reference["spec"] as? [String: Any])
        #expect(Set(referenceSpec.keys).isSubset(of: Set(spec.keys)))
        #expect(spec["group"] as? String == "lifeboat.dev")
        #expect(spec["scope"] as? String == "Namespaced")
        let names = try #require(spec["names"] as? [String: Any])
        let referenceNames = try #require(referenceSpec["names"] as? [String: Any])
        for key in ["plural", "singular", "kind", "listKind"] {
            #expect(names[key] as? String == referenceNames[key] as? String, "names.\(key)")
        }
        #expect(names["shortNames"] as? [String] == ["bp"])
        #expect(names["categories"] as? [String] == ["lifeboat"])

        let versions = try #require(spec["versions"] as? [[String: Any]])
        let referenceVersion = try #require((referenceSpec["versions"] as? [[String: Any]])?.first)
        let version = try #require(versions.first)
        #expect(versions.count == 1)
        #expect(Set(referenceVersion.keys).isSubset(of: Set(version.keys)))
        #expect(version["name"] as? String == "v1alpha1")
        #expect(version["served"] as? Bool == true && version["storage"] as? Bool == true)
        #expect((version["subresources"] as? [String: Any])?["status"] is [String: Any])

        let columns = try #require(version["additionalPrinterColumns"] as? [[String: Any]])
        let columnNames = columns.compactMap { $0["name"] as? String }
        for name in ["Ready", "Last Backup", "WAL", "Age"] { #expect(columnNames.contains(name)) }
        let ready = try #require(columns.first { $0["name"] as? String == "Ready" })
        #expect(ready["jsonPath"] as? String == #".status.conditions[?(@.type=="Ready")].status"#)

        let schema = try #require((version["schema"] as? [String: Any])?["openAPIV3Schema"] as? [String: Any])
        #expect(schema["type"] as? String == "object")
        let status = try #require((schema["properties"] as? [String: Any])?["status"] as? [String: Any])
        let conditions = try #require((status["properties"] as? [String: Any])?["conditions"] as? [String: Any])
        let referenceConditions = try #require(
            ((((referenceVersion["schema"] as? [String: Any])?["openAPIV3Schema"] as? [String: Any])?["properties"] as? [String: Any])?["status"] as? [String: Any]).flatMap { ($0["properties"] as? [String: Any])?["conditions"] as? [String: Any] }
        )
        #expect(conditions["x-kubernetes-list-type"] as? String == referenceConditions["x-kubernetes-list-type"] as? String)
        #expect(conditions["x-kubernetes-list-map-keys"] as? [String] == referenceConditions["x-kubernetes-list-map-keys"] as? [String])
    }

    @Test func givenGeneratedSchema_whenWalked_thenItIsStructural() throws {
        let generated = try #require(try Yams.load(yaml: CRDGenerator.backupPolicyCRD()) as? [String: Any])
        let version = try #require(((generated["spec"] as? [String: Any])?["versions"] as? [[String: Any]])?.first)
        let root = try #require((version["schema"] as? [String: Any])?["openAPIV3Schema"] as? [String: Any])
        var problems: [String] = []
        Self.checkStructural(root, path: "", problems: &problems)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func givenGeneratedSchema_whenRead_thenItCarriesTheEnumsDefaultsMinimaAndCELRules() throws {
        let generated = try #require(try Yams.load(yaml: CRDGenerator.backupPolicyCRD()) as? [String: Any])
        let version = try #require(((generated["spec"] as? [String: Any])?["versions"] as? [[String: Any]])?.first)
        let root = try #require((version["schema"] as? [String: Any])?["openAPIV3Schema"] as? [String: Any])
        func node(_ path: String) -> [String: Any]? {
            path.split(separator: ".").reduce(Optional(root)) { ($0?["properties"] as? [String: Any])?[String($1)] as? [String: Any] }
        }
        let sslMode = try #require(node("spec.server.tls.sslMode"))
        #expect(sslMode["default"] as? String == "verify-full")
        #expect(sslMode["enum"] as? [String] == ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"])
        #expect(node("spec.server.port")?["default"] as? Int == 5432)
        #expect(node("spec.compression.algorithm")?["enum"] as? [String] == ["zstd", "lz4", "gzip", "none"])
        #expect(node("spec.wal.mode")?["default"] as? String == "disabled")
        #expect(node("spec.freshness")?["default"] as? String == "26h")
        #expect(node("spec.check.schedule")?["default"] as? String == "*/15 * * * *")
        #expect(node("spec.repository.s3.credentialsSecret.accessKeyIdKey")?["default"] as? String == "AWS_ACCESS_KEY_ID")
        for count in ["keepLast", "daily", "weekly", "monthly", "yearly"] {
            #expect(node("spec.retention.\(count)")?["minimum"] as? Int == 0, "retention.\(count)")
        }
        let conditionStatus = try #require(node("status.conditions")?["items"] as? [String: Any])
        #expect(((conditionStatus["properties"] as? [String: Any])?["status"] as? [String: Any])?["enum"] as? [String] == ["True", "False", "Unknown"])

        let repositoryRules = try #require(node("spec.repository")?["x-kubernetes-validations"] as? [[String: Any]])
        #expect(repositoryRules.contains { $0["rule"] as? String == "has(self.s3) != has(self.volume)" })
        let scheduleRules = try #require(node("spec.schedules.logical.schedule")?["x-kubernetes-validations"] as? [[String: Any]])
        #expect(scheduleRules.first?["rule"] as? String == "self.matches('\(ScheduleSpec.schedulePattern)')")
        let retentionRules = try #require(node("spec.retention")?["x-kubernetes-validations"] as? [[String: Any]])
        #expect((retentionRules.first?["rule"] as? String)?.contains("self.keepLast >= 0") == true)
        #expect(node("spec.server.credentials")?["description"] as? String != nil)
    }

    @Test(arguments: [
        ("30 2 * * *", true), ("@daily", true), ("@daily-random", true), ("@weekly-random", true), ("*/15 * * * *", true),
        ("0 3 * * sun", true), ("CRON_TZ=Europe/Berlin 0 2 * * *", false), ("0 2 * *", false), ("@every 1h", false),
        ("@monthly-random", false), (" 0 2 * * *", false),
    ])
    func givenSchedule_whenMatchedAgainstTheCELPattern_thenShapeIsAcceptedOrRejected(schedule: String, accepted: Bool) throws {
        let regex = try NSRegularExpression(pattern: ScheduleSpec.schedulePattern)
        let range = NSRange(schedule.startIndex..., in: schedule)
        #expect((regex.firstMatch(in: schedule, range: range) != nil) == accepted)
    }

    /// The checks of a structural schema (apiextensions "Specifying a structural schema").
    static func checkStructural(_ node: [String: Any], path: String, problems: inout [String]) {
        let here = path.isEmpty ? "." : path
        let type = node["type"] as? String
        if type == nil && node["x-kubernetes-int-or-string"] as? Bool != true && node["x-kubernetes-preserve-unknown-fields"] as? Bool != true {
            problems.append("\(here): no type")
        }
        if node["properties"] != nil && node["additionalProperties"] != nil { problems.append("\(here): properties and additionalProperties") }
        if type == "array" && node["items"] == nil { problems.append("\(here): array without items") }
        if let required = node["required"] as? [String] {
            let names = Set(((node["properties"] as? [String: Any]) ?? [:]).keys)
            for name in required where !names.contains(name) { problems.append("\(here): required \(name) is not a property") }
        }
        if let values = node["enum"] as? [Any], let value = node["default"] {
            if !values.contains(where: { "\($0)" == "\(value)" }) { problems.append("\(here): default not in enum") }
        }
        for (name, child) in (node["properties"] as? [String: Any]) ?? [:] {
            guard let child = child as? [String: Any] else { problems.append("\(here).\(name): not a mapping"); continue }
            if (child["description"] as? String)?.isEmpty ?? true { problems.append("\(path).\(name): no description") }
            checkStructural(child, path: "\(path).\(name)", problems: &problems)
        }
        if let items = node["items"] as? [String: Any] { checkStructural(items, path: "\(path)[]", problems: &problems) }
        if let values = node["additionalProperties"] as? [String: Any] { checkStructural(values, path: "\(path){}", problems: &problems) }
    }
}
