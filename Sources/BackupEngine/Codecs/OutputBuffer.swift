/// A fixed scratch buffer the C libraries write into; allocated once per transform, freed on deinit.
///
/// Output is copied from here into the returned array in large pieces, so the per-call cost is
/// one `memcpy` per ~1 MiB rather than any per-byte work.
final class OutputBuffer {
    /// The scratch memory.
    let memory: UnsafeMutableRawBufferPointer

    /// The size of the scratch buffer used by every codec: large enough that the C call overhead
    /// is negligible, small enough to stay in cache-friendly territory.
    static let standardSize = 1 << 20

    init(size: Int = OutputBuffer.standardSize) {
        memory = .allocate(byteCount: size, alignment: 16)
    }

    deinit {
        memory.deallocate()
    }

    var count: Int { memory.count }

    /// Appends the first `count` bytes of the scratch memory to `output`.
    func drain(_ count: Int, into output: inout [UInt8]) {
        guard count > 0 else { return }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: memory[0..<count]))
    }
}
