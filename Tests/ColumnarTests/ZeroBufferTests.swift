import Kernels
import Testing

/// `ColumnBuffer.zeros`: the ids of a statement whose rows all form one group.
struct ZeroBufferTests {
    @Test func bigBuffersReadZeroPages() {
        // 2,000,000 Int32s (8 MB): a read-only mapping, not an array, and every value 0.
        let ids = ColumnBuffer<Int32>.zeros(count: 2_000_000)
        #expect(ids.count == 2_000_000)
        #expect(ids.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 } })
        #expect(!ids.isMapped)  // not a file's bytes
        #expect(ids.elements.count == 2_000_000)
        // A copy read as another type keeps the pages mapped after the first is gone.
        let codes = ids.rebound(to: UInt32.self)
        #expect(codes[1_999_999] == 0 && codes[0] == 0)
    }

    @Test func smallBuffersAreArrays() {
        let ids = ColumnBuffer<Int64>.zeros(count: 3)
        #expect(ids.elements == [0, 0, 0])
        #expect(ColumnBuffer<Int32>.zeros(count: 0).isEmpty)
    }
}
