import Dispatch
import Kernels
import Synchronization
import Testing

/// `ConcurrentTasks.run` returns when its tasks are done, whether or not the threads it asked
/// for ever came free.
@Suite struct ConcurrentTasksTests {
    @Test func everyTaskRunsOnceAndIsDoneOnReturn() {
        for (count, width) in [(1, 2), (2, 2), (7, 3), (100, 2), (5, 1)] {
            let runs = Mutex([Int](repeating: 0, count: count))
            ConcurrentTasks(count, width: width).run { index in runs.withLock { $0[index] += 1 } }
            #expect(runs.withLock { $0 } == [Int](repeating: 1, count: count), "count \(count), width \(width)")
        }
    }

    /// Every thread of the shared pool is kept busy (as a hash and a chunk's parse keep it during
    /// a load) while a run asks it for a helper. The run must finish its tasks on the calling
    /// thread and return without waiting for a helper to start: before, it waited for one, and
    /// with the pool's threads all running it could not return until one of them was done.
    @Test func returnsWhenThePoolsThreadsAreAllBusy() {
        let busy = ConcurrentTasks.processorCount
        let started = Atomic<Int>(0)
        let release = Atomic<Bool>(false)
        let gaveUp = Atomic<Int>(0)
        let occupiers = DispatchGroup()
        for _ in 0..<busy {
            DispatchQueue.global().async(group: occupiers) {
                started.add(1, ordering: .relaxed)
                // Spin (a running thread, as a hash is, not a waiting one) until the run is
                // over; give up after a long while, so that a run that cannot return without
                // this thread fails the test instead of hanging it.
                let deadline = DispatchTime.now().uptimeNanoseconds + 60_000_000_000
                while !release.load(ordering: .acquiring) {
                    if DispatchTime.now().uptimeNanoseconds > deadline {
                        gaveUp.add(1, ordering: .relaxed)
                        return
                    }
                }
            }
        }
        // The test itself may hold one of the pool's threads: wait a while for the occupiers,
        // and go on with those that started (every thread left is busy either way).
        let startBy = DispatchTime.now().uptimeNanoseconds + 2_000_000_000
        while started.load(ordering: .relaxed) < busy, DispatchTime.now().uptimeNanoseconds < startBy {}
        let done = Mutex([Bool](repeating: false, count: 4))
        ConcurrentTasks(4, width: 2).run { index in done.withLock { $0[index] = true } }
        // Read before the occupiers are let go: the run returned while they all still ran.
        let occupiersGaveUp = gaveUp.load(ordering: .relaxed)
        release.store(true, ordering: .releasing)
        occupiers.wait()
        #expect(occupiersGaveUp == 0)
        #expect(done.withLock { $0 } == [true, true, true, true])
    }
}
