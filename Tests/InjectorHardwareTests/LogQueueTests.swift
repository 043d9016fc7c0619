#if canImport(Glibc)
import Glibc
#endif
import InjectorFirmware
import InjectorHardware
import Synchronization
import Testing

/// The control thread's log lines go through a bounded queue: in order, never
/// blocking, a full queue dropping and counting, and everything queued written at close.
@Suite struct LogQueueTests {
    /// A sink that records lines and can be held shut, like a terminal nobody reads.
    final class Sink: @unchecked Sendable {
        let lines = Mutex<[String]>([])
        let gate = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        let held: Bool
        init(held: Bool) {
            self.held = held
            sem_init(gate, 0, 0)
        }
        func write(_ line: String) {
            if held { sem_wait(gate) }
            lines.withLock { $0.append(line) }
        }
        func open(_ n: Int) { for _ in 0..<n { sem_post(gate) } }
    }

    @Test func linesArriveInOrderAndCloseWritesThemAll() {
        let sink = Sink(held: false)
        let queue = LogQueue(capacity: 64) { sink.write($0) }
        for i in 0..<50 { queue.enqueue("line \(i)\n") }
        queue.close()
        #expect(sink.lines.withLock { $0 } == (0..<50).map { "line \($0)\n" })
        #expect(queue.written == 50 && queue.dropped == 0)
        queue.enqueue("after close\n")
        #expect(queue.dropped == 1)
    }

    @Test func aStuckSinkCostsLinesNeverTheCaller() {
        let sink = Sink(held: true)
        let queue = LogQueue(capacity: 4) { sink.write($0) }
        // The writer takes the first line and blocks in the sink; four more fill the queue.
        queue.enqueue("first\n")
        while queue.dropped == 0 && sink.lines.withLock({ $0.isEmpty }) {
            queue.enqueue("filler\n")
            if queue.dropped > 0 { break }
            usleep(1000)
        }
        for _ in 0..<100 { queue.enqueue("lost\n") }   // returns at once: the queue is full
        let dropped = queue.dropped
        #expect(dropped >= 100)
        sink.open(1000)
        queue.close()
        let lines = sink.lines.withLock { $0 }
        #expect(lines.first == "first\n")
        #expect(!lines.contains("lost\n"))
        #expect(lines.last == "log: \(dropped) lines dropped (queue of 4 full)\n")
        #expect(queue.dropped == dropped)
    }
}
