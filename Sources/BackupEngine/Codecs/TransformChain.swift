/// Stages of the data path applied in order, as one ``ByteTransform``:
/// compress → encrypt on backup, decrypt → decompress on restore.
///
/// An empty chain passes bytes through unchanged.
public struct TransformChain: ByteTransform {
    /// The stages, first to last; the output of each is the input of the next.
    public private(set) var stages: [any ByteTransform]

    /// Creates a chain of `stages`, applied in the order given.
    public init(_ stages: [any ByteTransform]) {
        self.stages = stages
    }

    /// Feeds `input` to the first stage and passes each stage's output on to the next.
    public mutating func update(_ input: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard !stages.isEmpty else { return Array(input) }
        var carried = try stages[0].update(input)
        for index in stages.indices.dropFirst() where !carried.isEmpty {
            carried = try stages[index].update(carried)
        }
        return carried
    }

    /// Finishes every stage in order, feeding the rest of each stage's output through the stages after it.
    public mutating func finish() throws -> [UInt8] {
        var carried: [UInt8] = []
        for index in stages.indices {
            var output = carried.isEmpty ? [] : try stages[index].update(carried)
            output.append(contentsOf: try stages[index].finish())
            carried = output
        }
        return carried
    }
}
