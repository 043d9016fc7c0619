#if canImport(Glibc)
import Glibc
#endif
import InjectorCore
import InjectorLinks

/// Plays a capture's bytes out of a link, as the firmware (or the host) sent them:
/// each chunk at its original offset from the first, or back to back.
public enum CaptureReplay {
    public enum Pace: Equatable, Sendable {
        /// Each chunk when it arrived, counted from the first chunk played.
        case original
        /// Every chunk at once, as fast as the link takes them.
        case asFastAsPossible
    }

    public struct Played: Equatable, Sendable {
        public var chunks = 0
        public var bytes = 0
    }

    /// Why a capture cannot be played as asked.
    public static func check(_ capture: Capture, pace: Pace) -> String? {
        if pace == .original && !capture.timed {
            return "a v1 capture (INJCAP01) has no chunk times, so it has no original timing; use --as-fast-as-possible"
        }
        return nil
    }

    /// Writes the chunks of `directions` to `link`, stopping early when `shouldStop()`
    /// (checked before each chunk and every 50 ms while waiting for one).
    public static func play(_ capture: Capture, directions: Set<CaptureDirection>, to link: any ByteLink, pace: Pace,
                            shouldStop: () -> Bool = { false }) throws(LinkError) -> Played {
        var played = Played()
        let chunks = capture.chunks.filter { directions.contains($0.direction) }
        guard let first = chunks.first else { return played }
        let startNs = clockNanoseconds(CLOCK_MONOTONIC)
        for chunk in chunks {
            if shouldStop() { break }
            if pace == .original {
                let due = startNs + (chunk.time.monotonicUs - first.time.monotonicUs) * 1000
                guard waitUntil(monotonicNs: due, unless: shouldStop) else { break }
            }
            let result = capture.body.withUnsafeBytes { body in
                Result { () throws(LinkError) in
                    try link.write(UnsafeRawBufferPointer(rebasing: body[chunk.range]), timeout: .seconds(10))
                }
            }
            try result.get()
            played.chunks += 1
            played.bytes += chunk.range.count
        }
        return played
    }

    /// Sleeps until the monotonic clock reads `monotonicNs`; false if stopped first.
    static func waitUntil(monotonicNs: Int64, unless stop: () -> Bool) -> Bool {
        while true {
            if stop() { return false }
            let left = monotonicNs - clockNanoseconds(CLOCK_MONOTONIC)
            if left <= 0 { return true }
            let step = min(left, 50_000_000)
            var request = timespec(tv_sec: 0, tv_nsec: Int(step))
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
        }
    }
}
