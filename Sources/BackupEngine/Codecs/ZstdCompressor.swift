import CZstd

/// Streaming Zstandard compression (`ZSTD_compressStream2`) with a content checksum in every frame.
struct ZstdCompressor: ByteTransform {
    /// Owns the C context so that it is freed exactly once.
    private final class Context {
        let stream: OpaquePointer
        let output = OutputBuffer()

        init(level: Int, threads: Int) throws {
            guard let stream = ZSTD_createCCtx() else {
                throw CompressionError(code: .libraryFailure, algorithm: .zstd, message: "libzstd could not allocate a compression context")
            }
            self.stream = stream
            try check(ZSTD_CCtx_setParameter(stream, ZSTD_c_compressionLevel, Int32(level)))
            try check(ZSTD_CCtx_setParameter(stream, ZSTD_c_checksumFlag, 1))
            if threads > 1 {
                // A libzstd built without threads rejects this; compression then stays single-threaded,
                // which changes speed but never the format.
                _ = ZSTD_CCtx_setParameter(stream, ZSTD_c_nbWorkers, Int32(clamping: threads))
            }
        }

        deinit {
            ZSTD_freeCCtx(stream)
        }

        func check(_ code: Int) throws {
            if ZSTD_isError(code) != 0 {
                throw CompressionError(
                    code: .libraryFailure, algorithm: .zstd,
                    message: "libzstd failed: \(String(cString: ZSTD_getErrorName(code)))")
            }
        }
    }

    private let context: Context

    init(level: Int, threads: Int) throws {
        context = try Context(level: level, threads: threads)
    }

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0, let base = input.baseAddress else { return [] }
        var source = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        var result: [UInt8] = []
        repeat {
            var sink = ZSTD_outBuffer(dst: context.output.memory.baseAddress, size: context.output.count, pos: 0)
            try context.check(ZSTD_compressStream2(context.stream, &sink, &source, ZSTD_e_continue))
            context.output.drain(sink.pos, into: &result)
        } while source.pos < source.size
        return result
    }

    mutating func finish() throws -> [UInt8] {
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        var result: [UInt8] = []
        var remaining = 0
        repeat {
            var sink = ZSTD_outBuffer(dst: context.output.memory.baseAddress, size: context.output.count, pos: 0)
            remaining = ZSTD_compressStream2(context.stream, &sink, &source, ZSTD_e_end)
            try context.check(remaining)
            context.output.drain(sink.pos, into: &result)
        } while remaining != 0
        return result
    }
}
