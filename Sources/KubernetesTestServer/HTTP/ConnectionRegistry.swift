import Foundation
import NIOCore

/// The open connections, so that ``KubernetesTestServer/restart()`` can drop them.
final class ConnectionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var channels: [ObjectIdentifier: Channel] = [:]

    func add(_ channel: Channel) {
        lock.lock(); defer { lock.unlock() }
        channels[ObjectIdentifier(channel)] = channel
    }

    func remove(_ channel: Channel) {
        lock.lock(); defer { lock.unlock() }
        channels[ObjectIdentifier(channel)] = nil
    }

    func closeAll() {
        lock.lock()
        let all = Array(channels.values)
        channels.removeAll()
        lock.unlock()
        for c in all { c.close(promise: nil) }
    }
}
