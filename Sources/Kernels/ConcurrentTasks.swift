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
        // The caller waits for the tasks, not for the helpers it queued: a helper that starts only
        // after every task is done (all the pool's threads were busy, with a hash on one and the
        // other running this very caller's chunk, say) finds nothing left and never calls the
        // body. Waiting for the helpers to run instead left a chunk's parse idle until the pool
        // had a thread free (0.7 s of a cold load whose dictionaries grew inside a parse task).
        withoutActuallyEscaping(body) { escapable in
            let state = RunState(escapable, count: count)
            for _ in 1..<width { DispatchQueue.global().async { state.work(isCaller: false) } }
            state.work(isCaller: true)
            state.waitForTasks()
        }
    }
}

/// The tasks of one `ConcurrentTasks.run`: the next index to take, how many are done, and the
/// body, dropped once every task is done (so that no helper holds it after `run` returns).
private final class RunState: @unchecked Sendable {
    private var body: ((Int) -> Void)?
    private let count: Int
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    private let allDone = DispatchSemaphore(value: 0)

    init(_ body: @escaping (Int) -> Void, count: Int) {
        self.body = body
        self.count = count
    }

    /// Takes tasks until none is left. `body` is read only for a task taken, and every task is
    /// taken before the caller stops waiting, so it is never read after it is dropped.
    func work(isCaller: Bool) {
        while true {
            let index = next.add(1, ordering: .relaxed).oldValue
            if index >= count { return }
            body!(index)
            let finished = done.add(1, ordering: .acquiringAndReleasing).newValue
            if finished == count, !isCaller { allDone.signal() }
        }
    }

    /// Returns when every task is done, then drops the body.
    func waitForTasks() {
        if done.load(ordering: .acquiring) != count { allDone.wait() }
        body = nil
    }
}

extension ConcurrentTasks {
    /// `0..<count` cut into `pieces` consecutive ranges whose sizes differ by at most one.
    public static func evenRanges(of count: Int, pieces: Int) -> [Range<Int>] {
        (0..<pieces).map { piece in (count * piece / pieces)..<(count * (piece + 1) / pieces) }
    }

    /// Runs `body` over `0..<count` cut into at most 64 consecutive stripes, on up to `width`
    /// threads: for work per item (a group, say) too small to be a task of its own.
    public static func runInStripes(_ count: Int, width: Int = processorCount, _ body: (Range<Int>) -> Void) {
        let stripes = evenRanges(of: count, pieces: min(count, 64))
        ConcurrentTasks(stripes.count, width: width).run { body(stripes[$0]) }
    }
}

/// The layout of a counting sort by group done in parts: each group's slice holds the group's
/// rows from each part in turn, parts in order.
enum PartedCountingSort {
    /// Turns `counts` (`counts[part * groups + group]`: a part's rows in a group) into where each
    /// (part, group) stretch starts, in place, and returns where each group's slice starts
    /// (`groups + 1` offsets, the last the total).
    static func placeStretches(_ counts: UnsafeMutableBufferPointer<Int>, parts: Int, groups: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: groups + 1)
        var offset = 0
        for group in 0..<groups {
            starts[group] = offset
            for part in 0..<parts {
                let stretch = counts[part * groups + group]
                counts[part * groups + group] = offset
                offset += stretch
            }
        }
        starts[groups] = offset
        return starts
    }
}
