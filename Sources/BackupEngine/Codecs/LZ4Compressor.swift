import CLZ4

/// Streaming LZ4 frame compression (`lz4frame.h`) with a content checksum, 4 MiB linked blocks
/// (the `lz4` command line tool's defaults).
struct LZ4Compressor: ByteTransform {
    private final class Context {
        let stream: OpaquePointer
        var preferences: LZ4F_preferences_t
        /// Input is fed to the library in slices of this size so that one output buffer always suffices.
        let sliceSize = OutputBuffer.standardSize
        let output: OutputBuffer
        var begun = false

        init(level: Int) throws {
            var created: OpaquePointer?
            let status = LZ4F_createCompressionContext(&created, UInt32(LZ4F_VERSION))
            guard LZ4F_isError(status) == 0, let created else {
                throw CompressionError(code: .libraryFailure, algorithm: .lz4, message: "liblz4 could not allocate a compression context")
            }
            stream = created
            preferences = LZ4F_preferences_t()
            preferences.compressionLevel = Int32(level)
            preferences.frameInfo.blockSizeID = LZ4F_max4MB
            preferences.frameInfo.blockMode = LZ4F_blockLinked
            preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
            // The bound covers a full slice plus whatever partial block the context still buffers,
            // and the frame header (at most LZ4F_HEADER_SIZE_MAX bytes) written by LZ4F_compressBegin.
            let bound = LZ4F_compressBound(sliceSize, &preferences) + Int(LZ4F_HEADER_SIZE_MAX)
            output = OutputBuffer(size: bound)
        }

        deinit {
            LZ4F_freeCompressionContext(stream)
        }

        func check(_ code: Int) throws -> Int {
            if LZ4F_isError(code) != 0 {
                throw CompressionError(
                    code: .libraryFailure, algorithm: .lz4,
                    message: "liblz4 failed: \(String(cString: LZ4F_getErrorName(code)))")
            }
            return code
        }

        /// Writes the frame header once, before the first block.
        func beginIfNeeded(into result: inout [UInt8]) throws {
            guard !begun else { return }
            begun = true
            let written = try check(LZ4F_compressBegin(stream, output.memory.baseAddress, output.count, &preferences))
            output.drain(written, into: &result)
        }
    }

    private let context: Context

    init(level: Int) throws {
        context = try Context(level: level)
    }

    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        var result: [UInt8] = []
        try context.beginIfNeeded(into: &result)
        var offset = 0
        while offset < input.count {
            let slice = UnsafeRawBufferPointer(rebasing: input[offset..<min(input.count, offset + context.sliceSize)])
            let written = try context.check(
                LZ4F_compressUpdate(context.stream, context.output.memory.baseAddress, context.output.count, slice.baseAddress, slice.count, nil))
            context.output.drain(written, into: &result)
            offset += slice.count
        }
        return result
    }

    mutating func finish() throws -> [UInt8] {
        var result: [UInt8] = []
        try context.beginIfNeeded(into: &result)
        let written = try context.check(LZ4F_compressEnd(context.stream, context.output.memory.baseAddress, context.output.count, nil))
        context.output.drain(written, into: &result)
        return result
    }
}
