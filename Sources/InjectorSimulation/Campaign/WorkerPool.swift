import Foundation
import Synchronization

/// Many independent runs on a few threads: campaigns and the fault-injection matrix.
enum WorkerPool {
    /// `work(i)` for every `i` in `0..<count`, on `jobs` threads with the workers' stack
    /// (`CampaignRunner.workerStackBytes`), results in index order whatever thread ran
    /// them. `progress` is called (from a worker, under the lock) with the number done.
    static func map<T: Sendable>(count: Int, jobs: Int, progress: (@Sendable (Int) -> Void)?,
                                 _ work: @escaping @Sendable (Int) -> T) -> [T] {
        let next = Mutex(0)
        let results = Mutex((items: [T?](repeating: nil, count: count), done: 0))
        let finished = DispatchSemaphore(value: 0)
        let workers = max(1, jobs)
        for _ in 0..<workers {
            let thread = Thread {
                defer { finished.signal() }
                while true {
                    let i: Int = next.withLock { n in defer { n += 1 }; return n }
                    guard i < count else { return }
                    let r = work(i)
                    let done = results.withLock { all -> Int in
                        all.items[i] = r
                        all.done += 1
                        return all.done
                    }
                    progress?(done)
                }
            }
            thread.stackSize = CampaignRunner.workerStackBytes
            thread.start()
        }
        for _ in 0..<workers { finished.wait() }
        return results.withLock { $0.items.compactMap { $0 } }
    }
}
