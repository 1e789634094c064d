/// One stage of the streaming data path: bytes in, bytes out, synchronous and allocation-light.
public protocol ByteTransform {
    /// Feeds a chunk of input; returns whatever output is ready (may be empty).
    mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8]
    /// Ends the input and returns the rest of the output. Throws if the input was incomplete or corrupt.
    mutating func finish() throws -> [UInt8]
}

extension ByteTransform {
    /// Feeds a chunk of input held in an array; returns whatever output is ready (may be empty).
    public mutating func update(_ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try self.update($0) }
    }

    /// Feeds all of `bytes` in one call and finishes: convenient for small objects and tests.
    ///
    /// The transform must be fresh; it is finished afterwards and must not be used again.
    public mutating func transformAll(_ bytes: [UInt8]) throws -> [UInt8] {
        var output = try update(bytes)
        output.append(contentsOf: try finish())
        return output
    }
}
