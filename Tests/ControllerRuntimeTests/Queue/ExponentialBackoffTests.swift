import Testing
@testable import ControllerRuntime

@Suite struct ExponentialBackoffTests {
    static let cases: [(Int, Duration)] = [
        (0, .zero),
        (1, .milliseconds(5)),
        (2, .milliseconds(10)),
        (3, .milliseconds(20)),
        (10, .milliseconds(2560)),
        (18, .milliseconds(655_360)),
        (19, .seconds(1000)),
        (1000, .seconds(1000)),
    ]

    @Test(arguments: cases)
    func givenTheDefaultQueueBackoff_whenFailuresAccumulate_thenTheDelayDoublesUpToTheCap(failures: Int, expected: Duration) {
        let backoff = ExponentialBackoff(base: .milliseconds(5), cap: .seconds(1000))
        #expect(backoff.delay(afterFailures: failures) == expected)
    }

    @Test func givenACapBelowTheBase_whenCreated_thenTheCapIsRaisedToTheBase() {
        #expect(ExponentialBackoff(base: .seconds(2), cap: .seconds(1)).delay(afterFailures: 5) == .seconds(2))
    }
}
