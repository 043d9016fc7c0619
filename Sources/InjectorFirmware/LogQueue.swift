#if canImport(Glibc)
import Glibc
#endif
import InjectorHardware
import Synchronization

/// Log lines leave the control thread through a bounded queue: `enqueue` never
/// blocks and never writes; a writer thread of its own hands the lines to `sink` (the
/// terminal, the journal). A full queue drops the new line and counts it, and the
/// writer says how many were dropped, so a storm of events costs log lines, never the
/// tick's timing. `close()` writes what is left and stops the writer.
public final class LogQueue: @unchecked Sendable {
    /// Lines held at most; a burst beyond it (a fault latched in every tick) is dropped.
    public static let defaultCapacity = 1024

    struct State {
        var lines: [String] = []
        var dropped: UInt64 = 0
        var closed = false
    }

    public let capacity: Int
    private let state = Mutex(State())
    private let sink: @Sendable (String) -> Void
    private let wake: UnsafeMutablePointer<sem_t>
    private var thread: pthread_t?
    /// Lines written, and lines dropped because the queue was full.
    private let counts = Mutex<(written: UInt64, dropped: UInt64)>((0, 0))

    public init(capacity: Int = defaultCapacity, sink: @escaping @Sendable (String) -> Void) {
        precondition(capacity > 0, "a queue holds at least one line")
        self.capacity = capacity
        self.sink = sink
        wake = .allocate(capacity: 1)
        sem_init(wake, 0, 0)
        state.withLock { $0.lines.reserveCapacity(capacity) }
        thread = startThread { self.drain() }
    }

    /// Queues `line` (with its newline); drops it if the queue is full or closed.
    public func enqueue(_ line: String) {
        let queued = state.withLock { s -> Bool in
            guard !s.closed, s.lines.count < capacity else {
                s.dropped &+= 1
                return false
            }
            s.lines.append(line)
            return true
        }
        if queued { sem_post(wake) }
    }

    public var written: UInt64 { counts.withLock { $0.written } }
    public var dropped: UInt64 { counts.withLock { $0.dropped } + state.withLock { $0.dropped } }

    private func drain() {
        var batch: [String] = []
        batch.reserveCapacity(capacity)
        while true {
            sem_wait(wake)
            let (dropped, closed) = state.withLock { s -> (UInt64, Bool) in
                swap(&batch, &s.lines)
                defer { s.dropped = 0 }
                return (s.dropped, s.closed)
            }
            for line in batch { sink(line) }
            if dropped > 0 { sink("log: \(dropped) line\(dropped == 1 ? "" : "s") dropped (queue of \(capacity) full)\n") }
            counts.withLock { $0.written &+= UInt64(batch.count); $0.dropped &+= dropped }
            batch.removeAll(keepingCapacity: true)
            if closed { return }
        }
    }

    /// Writes every queued line, stops the writer and waits for it. Idempotent.
    public func close() {
        guard let thread else { return }
        state.withLock { $0.closed = true }
        sem_post(wake)
        pthread_join(thread, nil)
        self.thread = nil
    }

    deinit {
        close()
        sem_destroy(wake)
        wake.deallocate()
    }
}
