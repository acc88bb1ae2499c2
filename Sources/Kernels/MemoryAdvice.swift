#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Advice to the kernel about large buffers that are about to be written from start to end.
public enum MemoryAdvice {
    /// Buffers smaller than this are left alone: the advice costs more than it saves.
    static let minimumBytes = 4 << 20

    /// `prepareForWriting(_:byteCount:)` of the buffer's bytes.
    public static func prepareForWriting<Element>(_ buffer: UnsafeMutableBufferPointer<Element>) {
        guard let base = buffer.baseAddress else { return }
        prepareForWriting(UnsafeMutableRawPointer(base), byteCount: buffer.count * MemoryLayout<Element>.stride)
    }

    /// Asks for the whole pages inside `byteCount` bytes at `start` to be backed by transparent
    /// huge pages where the system allows it (Linux, `madvise` mode), and to be mapped now, in
    /// one call, instead of one page fault per 4 KiB page as they are first written. Both are
    /// hints: where the kernel lacks them (Linux before 5.14, other systems) nothing changes.
    /// The bytes are neither read nor changed.
    public static func prepareForWriting(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        guard byteCount >= minimumBytes else { return }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let first = (UInt(bitPattern: start) + page - 1) / page * page
        let end = (UInt(bitPattern: start) + UInt(byteCount)) / page * page
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        let length = Int(end - first)
        let hugePages: Int32 = 14        // MADV_HUGEPAGE
        let populateWrite: Int32 = 23    // MADV_POPULATE_WRITE (Linux 5.14)
        _ = madvise(aligned, length, hugePages)
        // The kernel zeroes the pages it maps: pieces on every core (2 MiB-aligned cuts).
        let pieces = max(1, min(ConcurrentTasks.processorCount, length / minimumBytes))
        let huge = 2 << 20
        ConcurrentTasks(pieces).run { piece in
            let from = piece == 0 ? 0 : length * piece / pieces / huge * huge
            let to = piece == pieces - 1 ? length : length * (piece + 1) / pieces / huge * huge
            if to > from { _ = madvise(aligned + from, to - from, populateWrite) }
        }
        #endif
    }

    /// An array of `count` places, its pages prepared as `prepareForWriting` does and left as
    /// they are: for a pass that writes every place before anything reads one (a scatter, ids
    /// written row by row), so that nothing is filled twice.
    @inlinable
    public static func arrayToFill<Element: BitwiseCopyable>(count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            prepareForWriting(buffer)
            initialized = count
        }
    }

    /// A new array of `count` elements, each range of them filled by `body` (every element must
    /// be written), its pages prepared as `prepareForWriting` does; the ranges run on up to
    /// `width` cores when there are `parallelFrom` elements or more, a quarter of that each at
    /// least (at most 64 ranges).
    @inlinable
    public static func filledArray<Element>(count: Int, parallelFrom: Int, width: Int = ConcurrentTasks.processorCount,
                                            _ body: (_ range: Range<Int>, _ output: UnsafeMutableBufferPointer<Element>) -> Void) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            prepareForWriting(buffer)
            if count >= parallelFrom {
                let ranges = ConcurrentTasks.evenRanges(of: count, pieces: min(64, count / max(1, parallelFrom / 4)))
                ConcurrentTasks(ranges.count, width: width).run { body(ranges[$0], buffer) }
            } else if count > 0 {
                body(0..<count, buffer)
            }
            initialized = count
        }
    }

    /// `[Element](repeating: value, count: count)`, a big array's pages prepared first as
    /// `prepareForWriting` does (the per-row arrays of a grouping over millions of rows).
    @inlinable
    public static func array<Element>(repeating value: Element, count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            prepareForWriting(buffer)
            buffer.initialize(repeating: value)
            initialized = count
        }
    }
}
