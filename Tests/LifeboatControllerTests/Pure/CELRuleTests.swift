import Foundation
import LifeboatAPI
import LifeboatController
import Testing

/// Evaluates the generated CRD's `x-kubernetes-validations` rules with a real CEL implementation (cel-python, from
/// PyPI: `pip install cel-python pyyaml`), so a rule that does not compile or says the wrong thing fails here instead
/// of at `kubectl apply`. Disabled, and reported as skipped, when cel-python is not installed.
@Suite struct CELRuleTests {
    static let celAvailable: Bool = (try? python(["-c", "import celpy, yaml"], input: Data()))?.status == 0

    /// One rule evaluation: the schema path of the node carrying the rules, the value of `self`, and what each rule
    /// on that node must answer.
    struct Case: Codable, Sendable, CustomTestStringConvertible {
        var path: String
        var value: String
        var expected: [Bool]
        var testDescription: String { "\(path) ← \(value)" }
    }

    static let scheduleCases: [Case] = ["logical", "base"].flatMap { kind in
        [
            ("\"30 2 * * *\"", true), ("\"@daily\"", true), ("\"@daily-random\"", true), ("\"@weekly-random\"", true),
            ("\"*/15 * * * *\"", true), ("\"0 3 * * sun\"", true), ("\"CRON_TZ=Europe/Berlin 0 2 * * *\"", false),
            ("\"0 2 * *\"", false), ("\"@every 1h\"", false), ("\"@monthly-random\"", false),
        ].map { Case(path: ".spec.schedules.\(kind).schedule", value: $0.0, expected: [$0.1]) }
    }

    static let cases: [Case] = scheduleCases + [
        Case(path: ".spec.repository", value: #"{"s3": {}}"#, expected: [true]),
        Case(path: ".spec.repository", value: #"{"volume": {}}"#, expected: [true]),
        Case(path: ".spec.repository", value: #"{"s3": {}, "volume": {}}"#, expected: [false]),
        Case(path: ".spec.repository", value: #"{}"#, expected: [false]),
        Case(path: ".spec.schedules", value: #"{"base": {}}"#, expected: [true]),
        Case(path: ".spec.schedules", value: #"{}"#, expected: [false]),
        Case(path: ".spec.retention", value: #"{"keepLast": 0, "daily": 7, "yearly": 1}"#, expected: [true]),
        Case(path: ".spec.retention", value: #"{"weekly": -1}"#, expected: [false]),
        Case(path: ".spec.retention", value: #"{"maxAge": "90d"}"#, expected: [true]),
        Case(path: ".spec.server", value: #"{"databases": ["a"], "user": "u", "credentials": {"name": "s"}}"#, expected: [true, true]),
        Case(path: ".spec.server", value: #"{"databases": ["a"], "all": true, "credentials": {"name": "s"}}"#, expected: [false, false]),
        Case(path: ".spec.server", value: #"{"all": true, "credentials": {"name": "s", "usernameKey": "user"}}"#, expected: [true, true]),
        Case(path: ".spec.server", value: #"{"databases": [], "all": false, "user": "u", "credentials": {"name": "s"}}"#, expected: [false, true]),
        Case(path: ".spec.check.schedule", value: "\"*/15 * * * *\"", expected: [true]),
        Case(path: ".spec.check.schedule", value: "\"CRON_TZ=UTC */15 * * * *\"", expected: [false]),
    ]

    @Test(.enabled(if: celAvailable, "cel-python is not installed (pip install cel-python pyyaml)"))
    func givenTheGeneratedCRD_whenEveryCELRuleIsEvaluatedOnGoodAndBadValues_thenEachAnswersAsExpected() throws {
        let crd = CRDGenerator.backupPolicyCRD()
        let request = try JSONSerialization.data(withJSONObject: [
            "crd": crd,
            "cases": Self.cases.map { ["path": $0.path, "value": $0.value] },
        ])
        let result = try Self.python(["-c", Self.evaluator], input: request)
        try #require(result.status == 0, "evaluator failed: \(result.output)")
        let answers = try JSONDecoder().decode(Answers.self, from: Data(result.output.utf8))
        #expect(answers.uncovered == [], "CEL rules without a case here: \(answers.uncovered)")
        for (testCase, answer) in zip(Self.cases, answers.results) {
            #expect(answer == testCase.expected, "\(testCase.testDescription)")
        }
    }

    struct Answers: Decodable {
        var results: [[Bool]]
        var uncovered: [String]
    }

    static let evaluator = #"""
        import json, sys, yaml, celpy
        request = json.load(sys.stdin)
        root = yaml.safe_load(request["crd"])["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
        rules = {}
        def walk(node, path):
            for rule in node.get("x-kubernetes-validations", []):
                rules.setdefault(path, []).append(rule["rule"])
            for name, child in node.get("properties", {}).items():
                walk(child, path + "." + name)
            if "items" in node:
                walk(node["items"], path + "[]")
        walk(root, "")
        env = celpy.Environment()
        programs = {path: [env.program(env.compile(rule)) for rule in texts] for path, texts in rules.items()}
        results = []
        for case in request["cases"]:
            value = celpy.json_to_cel(json.loads(case["value"]))
            results.append([bool(program.evaluate({"self": value})) for program in programs.get(case["path"], [])])
        covered = {case["path"] for case in request["cases"]}
        print(json.dumps({"results": results, "uncovered": sorted(set(rules) - covered)}))
        """#

    static func python(_ arguments: [String], input: Data) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
