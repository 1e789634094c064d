import Foundation
import Testing
@testable import KubernetesTestServer

@Suite("JSON, patches and times (pure)")
struct JSONAndPatchUnitTests {
    @Test(arguments: [
        (#"{"a":1,"b":{"c":2}}"#, #"{"b":{"c":null,"d":3}}"#, #"{"a":1,"b":{"d":3}}"#),
        (#"{"a":[1,2]}"#, #"{"a":[3]}"#, #"{"a":[3]}"#),
        (#"{"a":1}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":{"b":1}}"#, #"{"a":"x"}"#, #"{"a":"x"}"#),
    ])
    func givenMergePatch_whenApplied_thenRFC7386(target: String, patch: String, expected: String) throws {
        let result = Patches.merge(try JSONParser.parse(target), try JSONParser.parse(patch))
        #expect(result == (try JSONParser.parse(expected)))
    }

    @Test(arguments: [
        (#"[{"op":"add","path":"/a/-","value":3}]"#, #"{"a":[1,2,3],"b":{"c":"x"}}"#),
        (#"[{"op":"remove","path":"/a/0"}]"#, #"{"a":[2],"b":{"c":"x"}}"#),
        (#"[{"op":"move","from":"/b/c","path":"/d"}]"#, #"{"a":[1,2],"b":{},"d":"x"}"#),
        (#"[{"op":"copy","from":"/b","path":"/e"}]"#, #"{"a":[1,2],"b":{"c":"x"},"e":{"c":"x"}}"#),
        (#"[{"op":"replace","path":"/b~1x","value":1}]"#, nil),
        (#"[{"op":"test","path":"/a/1","value":2},{"op":"replace","path":"/a/1","value":5}]"#, #"{"a":[1,5],"b":{"c":"x"}}"#),
    ] as [(String, String?)])
    func givenJSONPatch_whenApplied_thenRFC6902(ops: String, expected: String?) throws {
        let doc = try JSONParser.parse(#"{"a":[1,2],"b":{"c":"x"}}"#)
        let result = try? Patches.jsonPatch(doc, try JSONParser.parse(ops))
        #expect(result == expected.map { try! JSONParser.parse($0) })
    }

    @Test("given a strategic merge patch with keyed lists, then elements merge by name and $patch delete removes one")
    func givenStrategicMerge_thenKeyedListsMerge() throws {
        let target = try JSONParser.parse(#"{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}],"args":["1"]}"#)
        let patch = try JSONParser.parse(#"{"containers":[{"name":"b","image":"z"},{"name":"a","$patch":"delete"},{"name":"c","image":"w"}],"args":["2"]}"#)
        let result = Patches.strategicMerge(target, patch)
        #expect(result == (try JSONParser.parse(#"{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}],"args":["2"]}"#)))
    }

    @Test(arguments: [
        (#""\u003c\u00e9\ud83d\ude00""#, "<é😀"), (#""a\"b\\c\/d""#, "a\"b\\c/d"),
    ])
    func givenEscapedStrings_whenParsed_thenDecoded(text: String, expected: String) throws {
        #expect(try JSONParser.parse(text) == .string(expected))
    }

    @Test("given JSON literals, then they build the same values as the parser")
    func givenLiterals_thenSameAsParsed() throws {
        let literal: JSONValue = ["spec": ["suspend": false, "n": 7, "list": ["a", 0.5]]]
        #expect(literal == (try JSONParser.parse(#"{"spec":{"suspend":false,"n":7,"list":["a",0.5]}}"#)))
        #expect(JSONValue(any: ["a": [1, "x", true]] as [String: Any]) == ["a": [1, "x", true]])
    }

    @Test("given numbers, then integers stay integers and doubles print like Go")
    func givenNumbers_thenGoFormatting() throws {
        #expect(try JSONParser.parse("7") == .int(7))
        #expect(JSONWriter.string(try JSONParser.parse("[7,7.0,0.5,-3]"), shape: nil) == "[7,7,0.5,-3]")
        #expect(JSONWriter.string(.object(["b": .int(1), "a": .null, "é": .bool(true)]), shape: nil) == #"{"a":null,"b":1,"é":true}"#)
    }

    @Test(arguments: [
        ("", "unexpected end of JSON input"), ("{\"a\":", "unexpected end of JSON input"), ("[1,]", nil), ("{} x", nil),
    ] as [(String, String?)])
    func givenBrokenJSON_whenParsed_thenGoStyleError(text: String, message: String?) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
        if let message {
            do { _ = try JSONParser.parse(text) } catch { #expect(error.description == message) }
        }
    }

    @Test(arguments: [
        ("2026-11-21T09:53:20.654321Z", "2026-11-21T09:53:20.654321Z"),
        ("2026-11-21T10:53:20.654321+01:00", "2026-11-21T09:53:20.654321Z"),
        ("2026-11-21T00:10:00.000001-02:30", "2026-11-21T02:40:00.000001Z"),
    ])
    func givenValidMicroTime_whenNormalized_thenUTCWithSixDigits(input: String, expected: String) {
        #expect(KubeTime.normalizeMicroTime(input) == .success(expected))
    }

    @Test(arguments: [
        ("2026-11-21T09:53:30.987Z", "2026-11-21T09:53:30Z"), ("2026-11-21T10:53:30+01:00", "2026-11-21T09:53:30Z"),
        ("2026-12-31T23:59:59.999999999Z", "2026-12-31T23:59:59Z"),
    ])
    func givenTime_whenNormalized_thenTruncatedToSeconds(input: String, expected: String) {
        #expect(KubeTime.normalizeTime(input) == expected)
    }

    @Test("given field sets, then fieldsV1 rendering marks owned parents with a dot and parsing round-trips")
    func givenFieldSet_thenRenderAndParseRoundTrip() throws {
        let obj = try JSONParser.parse(#"{"metadata":{"labels":{"a":"1"},"finalizers":["x"]},"spec":{"containers":[{"name":"c","image":"i"}],"n":1}}"#)
        let update = ManagedFields.fieldSet(obj, scope: .all, intermediate: true)
        let rendered = ManagedFields.render(update)
        #expect(JSONWriter.string(rendered, shape: nil) == #"{"f:metadata":{"f:finalizers":{".":{},"v:\"x\"":{}},"f:labels":{".":{},"f:a":{}}},"f:spec":{".":{},"f:containers":{".":{},"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}},"f:n":{}}}"#)
        #expect(ManagedFields.parse(rendered) == update)
        let apply = ManagedFields.fieldSet(obj, scope: .all, intermediate: false)
        #expect(JSONWriter.string(ManagedFields.render(apply), shape: nil) == #"{"f:metadata":{"f:finalizers":{"v:\"x\"":{}},"f:labels":{"f:a":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}},"f:n":{}}}"#)
    }
}
