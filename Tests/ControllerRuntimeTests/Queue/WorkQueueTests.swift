import Testing
@testable import ControllerRuntime

@Suite(.timeLimit(.minutes(1))) struct WorkQueueTests {
    @Test func givenAKeyAddedThreeTimes_whenWorkersAsk_thenItIsHandedOutOnce() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("b")
        await queue.add("a")
        await queue.add("a")
        #expect(await queue.depth == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(await queue.depth == 0)
    }

    @Test func givenAKeyBeingProcessed_whenItIsAddedAgain_thenItIsNotHandedOutUntilDoneAndThenExactlyOnceMore() async throws {
        let queue = WorkQueue<String>()
        await queue.add("a")
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a")
        await queue.add("a")
        #expect(await queue.depth == 0)
        // A second worker waiting now must not get "a" while it is processing.
        let second = await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.next() }
            try? await Task.sleep(for: .milliseconds(100))
            #expect(await queue.isProcessing("a"))
            await queue.done("a")
            return await group.next()!
        }
        #expect(second == "a")
        await queue.done("a")
        #expect(await queue.depth == 0)
        #expect(await !queue.isProcessing("a"))
    }

    @Test func givenManyWorkersAndRepeatedAdds_whenTheyProcess_thenOneKeyIsNeverProcessedConcurrently() async {
        let queue = WorkQueue<Int>()
        let tracker = ConcurrencyTracker()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    while let key = await queue.next() {
                        await tracker.begin(key)
                        try? await Task.sleep(for: .milliseconds(2))
                        await tracker.end(key)
                        await queue.done(key)
                    }
                }
            }
            for round in 0..<50 {
                await queue.add(round % 3)
                if round % 5 == 0 { try? await Task.sleep(for: .milliseconds(1)) }
            }
            await queue.shutDownWithDrain()
        }
        #expect(await tracker.overlaps == 0)
        #expect(await tracker.processed > 3)
    }

    @Test func givenFailures_whenRateLimited_thenTheDelayGrowsAndForgetResetsIt() async throws {
        let queue = WorkQueue<String>(backoff: ExponentialBackoff(base: .milliseconds(20), cap: .seconds(1)))
        #expect(await queue.addRateLimited("a") == .milliseconds(20))
        #expect(await queue.addRateLimited("a") == .milliseconds(40))
        #expect(await queue.addRateLimited("a") == .milliseconds(80))
        #expect(await queue.failureCount("a") == 3)
        // The key comes back only after its (earliest pending) delay has passed.
        let start = ContinuousClock.now
        #expect(await queue.next() == "a")
        let waited = ContinuousClock.now - start
        #expect(waited >= .milliseconds(15))
        await queue.done("a")
        await queue.forget("a")
        #expect(await queue.failureCount("a") == 0)
        #expect(await queue.addRateLimited("a") == .milliseconds(20))
    }

    @Test func givenAddAfter_whenTheDelayPasses_thenTheKeyIsHandedOutNotBefore() async {
        let queue = WorkQueue<String>()
        let start = ContinuousClock.now
        await queue.addAfter("later", delay: .milliseconds(150))
        await queue.addAfter("sooner", delay: .milliseconds(50))
        #expect(await queue.depth == 0)
        #expect(await queue.delayedCount == 2)
        #expect(await queue.next() == "sooner")
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        #expect(await queue.next() == "later")
        #expect(ContinuousClock.now - start >= .milliseconds(150))
    }

    @Test func givenAWaitingWorker_whenTheQueueShutsDown_thenQueuedKeysDrainAndThenNextAnswersNil() async {
        let queue = WorkQueue<String>()
        await queue.add("queued")
        await queue.addAfter("delayed", delay: .seconds(30))
        await queue.shutDown()
        await queue.add("ignored")
        #expect(await queue.next() == "queued")
        await queue.done("queued")
        #expect(await queue.next() == nil)
    }

    @Test func givenAWorkerParkedInNext_whenItsTaskIsCancelled_thenNextAnswersNil() async {
        let queue = WorkQueue<String>()
        let result = await withTaskGroup(of: String?.self) { group in
            group.addTask { await queue.next() }
            try? await Task.sleep(for: .milliseconds(50))
            group.cancelAll()
            return await group.next()!
        }
        #expect(result == nil)
    }
}

/// Records which keys are being processed and whether one was ever processed twice at once.
actor ConcurrencyTracker {
    private var active: Set<Int> = []
    private(set) var overlaps = 0
    private(set) var processed = 0

    func begin(_ key: Int) {
        if !active.insert(key).inserted { overlaps += 1 }
    }

    func end(_ key: Int) {
        active.remove(key)
        processed += 1
    }
}
