import CLZ4

/// Streaming LZ4 frame decompression (`LZ4F_decompress`); accepts concatenated frames and
/// verifies block and content checksums when the frame carries them.
struct LZ4Decompressor: ByteTransform {
    private final class Context {
        let stream: OpaquePointer?
        let output = OutputBuffer()
        /// True when the input so far ends exactly at the end of a frame.
        var atFrameBoundary = true
        var framesStarted = false

        init() {
            var created: OpaquePointer?
            let status = LZ4F_createDecompressionContext(&created, UInt32(LZ4F_VERSION))
            stream = LZ4F_isError(status) == 0 ? created : nil
        }

        deinit {
            if let stream { LZ4F_freeDecompressionContext(stream) }
        }
    }

    private let context = Context()

    init() {}

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard input.count > 0, let base = input.baseAddress else { return [] }
        context.framesStarted = true
        return try decompress(base, count: input.count)
    }

    mutating func finish() throws -> [UInt8] {
        guard context.framesStarted else {
            throw CompressionError(code: .truncatedInput, algorithm: .lz4, message: "the compressed input is empty: it holds no lz4 frame")
        }
        guard context.atFrameBoundary else {
            throw CompressionError(
                code: .truncatedInput, algorithm: .lz4,
                message: "the compressed input ended in the middle of an lz4 frame: the object is truncated")
        }
        return []
    }

    private func decompress(_ base: UnsafeRawPointer, count: Int) throws -> [UInt8] {
        guard let stream = context.stream else {
            throw CompressionError(code: .libraryFailure, algorithm: .lz4, message: "liblz4 could not allocate a decompression context")
        }
        var result: [UInt8] = []
        var offset = 0
        while true {
            var produced = context.output.count
            var consumed = count - offset
            let hint = LZ4F_decompress(stream, context.output.memory.baseAddress, &produced, base + offset, &consumed, nil)
            if LZ4F_isError(hint) != 0 {
                throw CompressionError(
                    code: .corruptInput, algorithm: .lz4,
                    message: "the compressed input is not valid lz4 frame data (\(String(cString: LZ4F_getErrorName(hint))))")
            }
            offset += consumed
            context.output.drain(produced, into: &result)
            // 0 means the frame is complete: its end mark and checksum were read and verified.
            if produced > 0 || consumed > 0 {
                context.atFrameBoundary = hint == 0
            }
            // Keep going while input is left, or while the output buffer was filled (more may be pending).
            if offset == count && produced < context.output.count { break }
        }
        return result
    }
}
