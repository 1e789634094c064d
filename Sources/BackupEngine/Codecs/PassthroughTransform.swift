/// The ``CompressionAlgorithm/none`` transform: output equals input.
struct PassthroughTransform: ByteTransform {
    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        Array(input)
    }

    mutating func finish() throws -> [UInt8] {
        []
    }
}
