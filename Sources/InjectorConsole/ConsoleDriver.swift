#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorLinks
import InjectorProtocol
import Synchronization

/// The edge around a `ConsoleSession`: one thread owns the link, reads and decodes
/// what arrives, polls the session for heartbeats and resends, and writes what it
/// queued. Views take a copy of the session (`snapshot`) and put the operator's
/// requests through `perform`. A link that fails is reported to the session and
/// opened again every `reopenInterval` (a firmware restarted on the same device, a
/// USB adapter plugged back in).
public final class ConsoleDriver: Sendable {
    public static let reopenInterval = Interval.milliseconds(500)
    /// How long one read waits: the loop's period when the link is quiet, short against
    /// the 100 ms heartbeat and the 50 ms retransmit timeout.
    static let readWait = Interval.milliseconds(5)

    private let session: Mutex<ConsoleSession>
    private let open: @Sendable () throws(LinkError) -> any ByteLink
    private let stopping = Atomic<Bool>(false)

    public init(session: ConsoleSession, open: @escaping @Sendable () throws(LinkError) -> any ByteLink) {
        self.session = Mutex(session)
        self.open = open
    }

    public func snapshot() -> ConsoleSession { session.withLock { $0 } }

    /// Runs `body` on the session with the current time (an operator's request).
    public func perform<T: Sendable>(_ body: (inout ConsoleSession, Instant) -> T) -> T {
        let now = monotonicNow()
        return session.withLock { body(&$0, now) }
    }

    public func stop() { stopping.store(true, ordering: .relaxed) }

    /// Serves the link until `stop()`.
    public func run() {
        var channel: FrameChannel?
        var nextOpen = monotonicNow()
        var frames: [Frame] = []
        while !stopping.load(ordering: .relaxed) {
            let now = monotonicNow()
            guard let link = channel else {
                if now >= nextOpen {
                    channel = openChannel(at: now)
                    nextOpen = now + Self.reopenInterval
                } else {
                    pause(Self.readWait)
                }
                continue
            }
            frames.removeAll(keepingCapacity: true)
            do throws(LinkError) {
                try link.receive(timeout: Self.readWait) { frames.append($0) }
                try exchange(link, frames, at: monotonicNow())
            } catch {
                link.link.close()
                channel = nil
                nextOpen = monotonicNow() + Self.reopenInterval
                perform { s, t in s.linkFailed("\(error)", at: t) }
            }
        }
        channel?.link.close()
    }

    private func openChannel(at now: Instant) -> FrameChannel? {
        do throws(LinkError) {
            let link = try open()
            session.withLock { $0.linkOpened(link.name, at: now) }
            return FrameChannel(link: link)
        } catch {
            session.withLock { $0.openFailed("\(error)", at: now) }
            return nil
        }
    }

    /// Hands the frames read to the session, polls it, writes what it queued.
    private func exchange(_ channel: FrameChannel, _ frames: [Frame], at now: Instant) throws(LinkError) {
        session.withLock { s in
            for frame in frames { s.receive(frame, at: now) }
            s.noteFramesDropped(channel.statistics.framesDropped)
            s.poll(at: now)
            while let frame = s.nextOutgoing() { channel.queue(frame) }
        }
        try channel.flush()
    }
}

/// CLOCK_MONOTONIC as the core's `Instant`.
public func monotonicNow() -> Instant {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Instant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
}

func pause(_ interval: Interval) {
    var ts = timespec(tv_sec: Int(interval.nanoseconds / 1_000_000_000),
                      tv_nsec: Int(interval.nanoseconds % 1_000_000_000))
    var left = timespec()
    while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
}
