#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The values of one column, read-only: an array the process built, or a stretch of a mapped
/// file (the column cache) that is read in place, without a copy.
///
/// Either way the values sit at `buffer`, and `owner` keeps them there: the array itself (held
/// unchanged here, so its storage never moves) or the object that unmaps the file when the last
/// column reading it is gone.
public struct ColumnBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    public typealias Index = Int

    /// The values.
    public let buffer: UnsafeBufferPointer<Element>
    /// What keeps `buffer` valid.
    @usableFromInline let owner: AnyObject?
    /// The array when the values are one (so that handing it back is free).
    @usableFromInline let array: [Element]?

    /// The values of `array`, without a copy.
    @inlinable
    public init(_ array: [Element]) {
        self.array = array
        // The array is held unchanged in `self.array`; its storage stays where it is while it lives.
        buffer = array.withUnsafeBufferPointer { $0 }
        owner = nil
    }

    /// `count` values at `start`, valid while `owner` lives.
    @inlinable
    public init(start: UnsafePointer<Element>, count: Int, owner: AnyObject) {
        buffer = UnsafeBufferPointer(start: start, count: count)
        self.owner = owner
        array = nil
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { buffer.count }
    @inlinable public var count: Int { buffer.count }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < buffer.count, "index out of range")
        return buffer[position]
    }

    /// Calls `body` with the values.
    @inlinable
    public func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<Element>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(buffer) }
    }

    /// Calls `body` with the bytes of the values.
    @inlinable
    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(UnsafeRawBufferPointer(buffer)) }
    }

    /// The values as an array: the array itself when they are one, else a copy.
    @inlinable
    public var elements: [Element] { array ?? Array(buffer) }

    /// Whether the values are read in place from a mapped file.
    public var isMapped: Bool { array == nil && owner != nil && !(owner is ArrayOwner) && !(owner is ZeroPages) }

    /// The same bytes read as another type of the same size and alignment (codes below 2^31 as
    /// group ids), without a copy; the new buffer keeps these values alive.
    public func rebound<Other: BitwiseCopyable>(to type: Other.Type) -> ColumnBuffer<Other> {
        precondition(MemoryLayout<Other>.stride == MemoryLayout<Element>.stride
                     && MemoryLayout<Other>.alignment == MemoryLayout<Element>.alignment, "the same layout")
        let keeper: AnyObject = owner ?? ArrayOwner(array ?? [])
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return ColumnBuffer<Other>([]) }
        let start = UnsafeRawPointer(base).assumingMemoryBound(to: Other.self)
        return ColumnBuffer<Other>(start: start, count: buffer.count, owner: keeper)
    }
}

/// Keeps an array alive for a buffer that reads it as another type.
final class ArrayOwner: @unchecked Sendable {
    let array: Any
    init(_ array: Any) { self.array = array }
}

extension ColumnBuffer: ExpressibleByArrayLiteral {
    @inlinable
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension ColumnBuffer: Equatable where Element: Equatable {
    @inlinable
    public static func == (lhs: ColumnBuffer, rhs: ColumnBuffer) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}

extension ColumnBuffer {
    /// `count` zeros that take no memory of their own: a read-only anonymous mapping, every page
    /// of which reads the system's one page of zeros, so that nothing is cleared or written (the
    /// group ids of a statement whose rows all form one group). Small counts get an array.
    public static func zeros(count: Int) -> ColumnBuffer<Element> {
        let byteCount = count * MemoryLayout<Element>.stride
        if byteCount >= MemoryAdvice.minimumBytes, let pages = ZeroPages(byteCount: byteCount) {
            return ColumnBuffer(start: pages.start.assumingMemoryBound(to: Element.self), count: count, owner: pages)
        }
        return ColumnBuffer([Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { UnsafeMutableRawPointer(base).initializeMemory(as: UInt8.self, repeating: 0, count: byteCount) }
            initialized = count
        })
    }
}

/// A read-only mapping of zero pages, unmapped when the last buffer reading it is gone.
final class ZeroPages: @unchecked Sendable {
    let start: UnsafeRawPointer
    let byteCount: Int

    init?(byteCount: Int) {
        #if canImport(Glibc) || canImport(Darwin)
        guard let mapped = mmap(nil, byteCount, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED else { return nil }
        #if os(Linux)
        _ = madvise(mapped, byteCount, 14)  // MADV_HUGEPAGE: reads map the huge zero page, 2 MiB at a time
        #endif
        start = UnsafeRawPointer(mapped)
        self.byteCount = byteCount
        #else
        return nil
        #endif
    }

    deinit {
        #if canImport(Glibc) || canImport(Darwin)
        munmap(UnsafeMutableRawPointer(mutating: start), byteCount)
        #endif
    }
}
