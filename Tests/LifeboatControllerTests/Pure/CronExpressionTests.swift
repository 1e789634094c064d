import LifeboatController
import Testing

@Suite struct CronExpressionTests {
    @Test(arguments: [
        ("30 2 * * *", [[30], [2]]),
        ("*/15 * * * *", [[0, 15, 30, 45]]),
        ("0 9-17/4 * * *", [[0], [9, 13, 17]]),
        ("5,10 0 * * *", [[5, 10], [0]]),
        ("@daily", [[0], [0]]),
        ("@hourly", [[0], Array(0...23)]),
        ("0 0 1 jan,JUL *", [[0], [0], [1], [1, 7]]),
        ("0 0 ? * mon-fri", [[0], [0], Array(1...31), Array(1...12), [1, 2, 3, 4, 5]]),
        ("50/5 * * * *", [[50, 55]]),
    ])
    func givenValidExpression_whenParsed_thenFieldsExpand(text: String, expected: [[Int]]) throws {
        let cron = try CronExpression(text)
        for (index, values) in expected.enumerated() {
            #expect(cron.values[index] == Set(values), "field \(index) of \(text)")
        }
    }

    @Test(arguments: [
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("CRON_TZ=Europe/Berlin 0 2 * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        ("TZ=UTC 0 2 * * *", "cannot use TZ or CRON_TZ in schedule"),
        ("0 2 * *", "expected exactly 5 fields"),
        ("0 2 * * * *", "expected exactly 5 fields"),
        ("0 24 * * *", "end of range (24) above maximum (23)"),
        ("0 0 0 * *", "beginning of range (0) below minimum (1)"),
        ("0 0 * 13 *", "end of range (13) above maximum (12)"),
        ("0 0 * * 7", "end of range (7) above maximum (6)"),
        ("10-5 * * * *", "beginning of range (10) beyond end of range (5)"),
        ("*/0 * * * *", "step of range should be a positive number"),
        ("a * * * *", "failed to parse int from a"),
        ("0 0 * * funday", "failed to parse int from funday"),
        ("1,,2 * * * *", "empty list item"),
        ("@every 1h", "unrecognized descriptor"),
        ("", "empty schedule"),
    ])
    func givenInvalidExpression_whenParsed_thenTheErrorSaysWhy(text: String, fragment: String) {
        #expect(throws: CronError.self) { try CronExpression(text) }
        do {
            _ = try CronExpression(text)
        } catch {
            #expect(error.description.contains(fragment), "\(error.description)")
        }
    }
}
