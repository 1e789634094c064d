import CZlib

/// Streaming gzip decompression with zlib's `inflate` (window bits 32+15: gzip or zlib header,
/// detected automatically); accepts concatenated gzip members as `gzip -d` does, and verifies
/// each member's CRC-32 and length.
struct GzipDecompressor: ByteTransform {
    private final class Context {
        /// zlib keeps a pointer back to its `z_stream`, so the struct must never move: it lives on the heap.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        let output = OutputBuffer()
        let initialised: Bool
        /// True when the input so far ends exactly at the end of a member.
        var atMemberEnd = true
        var membersStarted = false

        init() {
            stream.initialize(to: z_stream())
            initialised = inflateInit2_(stream, 32 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        }

        deinit {
            if initialised { inflateEnd(stream) }
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        func inflate(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
            guard initialised else {
                throw CompressionError(code: .libraryFailure, algorithm: .gzip, message: "zlib could not initialise inflate")
            }
            var result: [UInt8] = []
            var offset = 0
            while offset < input.count {
                if atMemberEnd && membersStarted {
                    // Another member follows the previous one.
                    guard inflateReset(stream) == Z_OK else {
                        throw CompressionError(code: .libraryFailure, algorithm: .gzip, message: "zlib could not reset inflate")
                    }
                }
                membersStarted = true
                atMemberEnd = false
                let sliceCount = min(input.count - offset, 1 << 30)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: (input.baseAddress! + offset).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(sliceCount)
                var status: Int32
                repeat {
                    stream.pointee.next_out = output.memory.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(output.count)
                    status = CZlib.inflate(stream, Z_NO_FLUSH)
                    switch status {
                    case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                        break
                    case Z_DATA_ERROR, Z_NEED_DICT:
                        let reason = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                        throw CompressionError(
                            code: .corruptInput, algorithm: .gzip, message: "the compressed input is not valid gzip data (\(reason))")
                    default:
                        throw CompressionError(code: .libraryFailure, algorithm: .gzip, message: "zlib inflate failed (status \(status))")
                    }
                    output.drain(output.count - Int(stream.pointee.avail_out), into: &result)
                } while status != Z_STREAM_END && (stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0) && status != Z_BUF_ERROR
                let used = sliceCount - Int(stream.pointee.avail_in)
                offset += used
                if status == Z_STREAM_END {
                    atMemberEnd = true
                } else if used == 0 && stream.pointee.avail_in > 0 {
                    // No progress although input and output space were available: cannot happen with a
                    // healthy stream, but never spin on it.
                    throw CompressionError(code: .corruptInput, algorithm: .gzip, message: "the compressed input is not valid gzip data (no progress)")
                }
            }
            return result
        }
    }

    private let context = Context()

    init() {}

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0 else { return [] }
        return try context.inflate(input)
    }

    mutating func finish() throws -> [UInt8] {
        guard context.membersStarted else {
            throw CompressionError(code: .truncatedInput, algorithm: .gzip, message: "the compressed input is empty: it holds no gzip member")
        }
        guard context.atMemberEnd else {
            throw CompressionError(
                code: .truncatedInput, algorithm: .gzip,
                message: "the compressed input ended in the middle of a gzip member: the object is truncated")
        }
        return []
    }
}
