import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `count` independent tasks on up to `width` threads (the calling thread is one of them),
/// each task index exactly once, and returns when all are done.
///
/// The tasks share memory the caller hands them; each task must touch only its own part, which
/// is why the body is not required to be `Sendable`.
public struct ConcurrentTasks: Sendable {
    public let count: Int
    public let width: Int

    public init(_ count: Int, width: Int = ConcurrentTasks.processorCount) {
        self.count = count
        self.width = max(1, min(width, count))
    }

    /// The processors online.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    public func run(_ body: (Int) -> Void) {
        guard count > 0 else { return }
        if width == 1 {
            for index in 0..<count { body(index) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let shared = SharedBody(escapable)
            let next = NextIndex()
            let group = DispatchGroup()
            let work = { @Sendable in
                while true {
                    let index = next.value.add(1, ordering: .relaxed).oldValue
                    if index >= count { return }
                    shared.body(index)
                }
            }
            for _ in 1..<width { DispatchQueue.global().async(group: group, execute: work) }
            work()
            group.wait()
        }
    }
}

private final class NextIndex: Sendable {
    let value = Atomic<Int>(0)
}

private final class SharedBody: @unchecked Sendable {
    let body: (Int) -> Void
    init(_ body: @escaping (Int) -> Void) { self.body = body }
}
