@testable import BackupEngine
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("wal-stream: stopping on SIGTERM")
struct ShutdownSignalTests {
    @Test("given a long sleep, when the signal is triggered, then the sleep ends early and the registered handler runs once")
    func triggerEndsSleep() async {
        let signal = ShutdownSignal()
        let calls = NIOLockedValueBox(0)
        let started = Date()
        await signal.whileRunning(onTrigger: { calls.withLockedValue { $0 += 1 } }) {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await signal.sleep(seconds: 30) }
                group.addTask {
                    try? await Task.sleep(nanoseconds: 100_000_000)
                    signal.trigger()
                    signal.trigger()
                }
            }
        }
        // Well under the 30 s sleep; generous because a loaded 2-core runner can delay the wake-up by seconds.
        #expect(Date().timeIntervalSince(started) < 20)
        let callCount = calls.withLockedValue { $0 }
        #expect(callCount == 1)
        #expect(signal.isTriggered)
    }

    @Test("given a triggered signal, when a handler is registered or a sleep starts, then the handler runs at once and the sleep returns at once")
    func alreadyTriggered() async {
        let signal = ShutdownSignal()
        signal.trigger()
        let ran = NIOLockedValueBox(false)
        let started = Date()
        await signal.whileRunning(onTrigger: { ran.withLockedValue { $0 = true } }) {
            await signal.sleep(seconds: 30)
        }
        let handlerRan = ran.withLockedValue { $0 }
        #expect(handlerRan)
        #expect(Date().timeIntervalSince(started) < 1)
    }

    @Test("given a sleep with no trigger, when its time passes, then it returns after about that time")
    func sleepsWithoutTrigger() async {
        let started = Date()
        await ShutdownSignal().sleep(seconds: 0.2)
        #expect(Date().timeIntervalSince(started) >= 0.19)
    }
}
