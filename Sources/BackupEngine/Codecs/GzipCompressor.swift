import CZlib

/// Streaming gzip compression with zlib's `deflate` (window bits 31: a gzip header and CRC-32 trailer).
struct GzipCompressor: ByteTransform {
    private final class Context {
        /// zlib keeps a pointer back to its `z_stream`, so the struct must never move: it lives on the heap.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        let output = OutputBuffer()

        init(level: Int) throws {
            stream.initialize(to: z_stream())
            let status = deflateInit2_(
                stream, Int32(level), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                stream.deinitialize(count: 1)
                stream.deallocate()
                throw CompressionError(code: .libraryFailure, algorithm: .gzip, message: "zlib could not initialise deflate (status \(status))")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }

        /// Runs deflate over `input` with `flush` until zlib has consumed it all (and, for Z_FINISH, ended the stream).
        func deflate(_ input: UnsafeRawBufferPointer, flush: Int32) throws -> [UInt8] {
            var result: [UInt8] = []
            var offset = 0
            repeat {
                // avail_in is 32 bits wide: feed at most 1 GiB at a time.
                let sliceCount = min(input.count - offset, 1 << 30)
                let last = offset + sliceCount == input.count
                stream.pointee.next_in = sliceCount > 0
                    ? UnsafeMutablePointer(mutating: (input.baseAddress! + offset).assumingMemoryBound(to: Bytef.self)) : nil
                stream.pointee.avail_in = uInt(sliceCount)
                let mode = last ? flush : Z_NO_FLUSH
                var status: Int32
                repeat {
                    stream.pointee.next_out = output.memory.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(output.count)
                    status = CZlib.deflate(stream, mode)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw CompressionError(code: .libraryFailure, algorithm: .gzip, message: "zlib deflate failed (status \(status))")
                    }
                    output.drain(output.count - Int(stream.pointee.avail_out), into: &result)
                } while stream.pointee.avail_out == 0 || (mode == Z_FINISH && status != Z_STREAM_END)
                offset += sliceCount
            } while offset < input.count
            return result
        }
    }

    private let context: Context

    init(level: Int) throws {
        context = try Context(level: level)
    }

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0 else { return [] }
        return try context.deflate(input, flush: Z_NO_FLUSH)
    }

    mutating func finish() throws -> [UInt8] {
        try context.deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }
}
