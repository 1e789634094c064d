import Foundation
import NIOConcurrencyHelpers

/// The streamer's SQL connection to the server (identity, slot state, slot drop): connected lazily, reconnected
/// after a failure, one query at a time.
final class ServerProbe: Sendable {
    private let settings: ConnectionSettings
    private let connection = NIOLockedValueBox<PGConnection?>(nil)

    init(settings: ConnectionSettings) {
        self.settings = settings
    }

    /// Closes the connection (a later query reconnects).
    func close() {
        connection.withLockedValue { connection in
            connection?.close()
            connection = nil
        }
    }

    /// The server's cluster identity.
    func identity() async throws -> ClusterIdentity {
        try await using { try ClusterIdentity.query($0) }
    }

    /// The slot's state and the server's position.
    func slot(_ name: String) async throws -> ReplicationSlot.State {
        try await using { try ReplicationSlot.inspect(name, connection: $0) }
    }

    /// Drops the slot when it exists and is not in use.
    func dropSlot(_ name: String) async throws -> Bool {
        try await using { try ReplicationSlot.dropInactive(name, connection: $0) }
    }

    private func using<T: Sendable>(_ body: @escaping @Sendable (PGConnection) throws -> T) async throws -> T {
        let settings = self.settings, box = self.connection
        return try await runBlocking {
            try box.withLockedValue { connection in
                let current = try connection ?? PGConnection(settings)
                connection = current
                do {
                    return try body(current)
                } catch {
                    // The connection may be broken (server restart, failover): start afresh next time.
                    current.close()
                    connection = nil
                    throw error
                }
            }
        }
    }
}
