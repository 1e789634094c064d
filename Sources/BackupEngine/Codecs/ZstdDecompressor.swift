import CZstd

/// Streaming Zstandard decompression (`ZSTD_decompressStream`); accepts concatenated frames,
/// and verifies each frame's content checksum when present.
struct ZstdDecompressor: ByteTransform {
    private final class Context {
        let stream: OpaquePointer?
        let output = OutputBuffer()
        /// True when the input so far ends exactly at the end of a frame.
        var atFrameBoundary = true
        var framesStarted = false

        init() {
            stream = ZSTD_createDCtx()
        }

        deinit {
            if let stream { ZSTD_freeDCtx(stream) }
        }
    }

    private let context = Context()

    init() {}

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0, let base = input.baseAddress else { return [] }
        var source = ZSTD_inBuffer(src: base, size: input.count, pos: 0)
        context.framesStarted = true
        return try decompress(&source)
    }

    mutating func finish() throws -> [UInt8] {
        // Flush anything the context still holds for lack of output space.
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        let result = context.framesStarted ? try decompress(&source) : []
        guard context.framesStarted else {
            throw CompressionError(code: .truncatedInput, algorithm: .zstd, message: "the compressed input is empty: it holds no zstd frame")
        }
        guard context.atFrameBoundary else {
            throw CompressionError(
                code: .truncatedInput, algorithm: .zstd,
                message: "the compressed input ended in the middle of a zstd frame: the object is truncated")
        }
        return result
    }

    private func decompress(_ source: inout ZSTD_inBuffer) throws -> [UInt8] {
        guard let stream = context.stream else {
            throw CompressionError(code: .libraryFailure, algorithm: .zstd, message: "libzstd could not allocate a decompression context")
        }
        var result: [UInt8] = []
        while true {
            var sink = ZSTD_outBuffer(dst: context.output.memory.baseAddress, size: context.output.count, pos: 0)
            let consumedBefore = source.pos
            let hint = ZSTD_decompressStream(stream, &sink, &source)
            if ZSTD_isError(hint) != 0 {
                throw CompressionError(
                    code: .corruptInput, algorithm: .zstd,
                    message: "the compressed input is not valid zstd data (\(String(cString: ZSTD_getErrorName(hint))))")
            }
            context.output.drain(sink.pos, into: &result)
            // 0 means a frame was completely decoded and flushed. A call that moved nothing (flushing
            // after the end of a frame) reports the next frame's header size instead: ignore it.
            if sink.pos > 0 || source.pos > consumedBefore {
                context.atFrameBoundary = hint == 0
            }
            let outputFull = sink.pos == sink.size
            if source.pos == source.size && !outputFull { break }
        }
        return result
    }
}
