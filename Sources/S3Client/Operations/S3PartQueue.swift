import NIOCore

/// A bounded hand-over of full parts from the producer (``S3MultipartUploader/write(_:)-(ByteBuffer)``)
/// to the part-uploading child tasks of ``S3Client/withUploader(key:ifNoneMatch:concurrency:_:)``.
///
/// `send` suspends while `capacity` parts already wait, which bounds memory; `fail` wakes everyone
/// so a failed part stops the producer at its next part instead of letting it fill memory.
actor S3PartQueue {
    struct Part: Sendable {
        var number: Int
        var uploadId: String
        var body: ByteBuffer
    }

    private let capacity: Int
    private var items: [Part] = []
    private var producers: [CheckedContinuation<Void, any Error>] = []
    private var consumers: [CheckedContinuation<Part?, Never>] = []
    private var closed = false
    private var failure: (any Error)?

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Hands a part over; waits while the queue is full; throws the failure of any part upload.
    func send(_ part: Part) async throws {
        while true {
            if let failure { throw failure }
            if !consumers.isEmpty {
                consumers.removeFirst().resume(returning: part)
                return
            }
            if items.count < capacity {
                items.append(part)
                return
            }
            try await withCheckedThrowingContinuation { producers.append($0) }
        }
    }

    /// The next part, or `nil` once the queue is closed and drained, or failed.
    func receive() async -> Part? {
        if failure != nil { return nil }
        if !items.isEmpty {
            let part = items.removeFirst()
            if !producers.isEmpty { producers.removeFirst().resume() }
            return part
        }
        if closed { return nil }
        return await withCheckedContinuation { consumers.append($0) }
    }

    /// No more parts will come: consumers finish once the queue is drained.
    func close() {
        closed = true
        for consumer in consumers { consumer.resume(returning: nil) }
        consumers = []
    }

    /// Stops everything: waiting producers throw `error`, consumers get `nil`, queued parts are dropped.
    func fail(_ error: any Error) {
        if failure == nil { failure = error }
        items = []
        for producer in producers { producer.resume(throwing: error) }
        producers = []
        for consumer in consumers { consumer.resume(returning: nil) }
        consumers = []
    }
}
