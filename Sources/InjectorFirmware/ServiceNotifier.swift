#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// systemd's service notification protocol (sd_notify(3)), written out: one datagram of
/// `KEY=value` lines to the unix socket named by `$NOTIFY_SOCKET`. Without that
/// variable (not started by systemd, or `Type=` other than notify) there is nothing to
/// notify and `init` returns `nil`. A send never waits (a datagram socket's queue holds
/// only `net.unix.max_dgram_qlen` messages, 10 by default, and the tick must not block
/// on a slow reader); one that fails is counted, never fatal: the watchdog then
/// restarts the service, which is what a silent firmware should get.
public final class ServiceNotifier {
    public let socketPath: String
    /// How often systemd expects `WATCHDOG=1` (`$WATCHDOG_USEC`), if it watches us.
    public let watchdogInterval: Interval?
    public private(set) var sendFailures: UInt64 = 0
    private let fd: Int32
    private var address = sockaddr_un()
    private let addressLength: socklen_t

    /// Reads `$NOTIFY_SOCKET`, `$WATCHDOG_USEC` and `$WATCHDOG_PID` (a watchdog meant for
    /// another process is not ours to feed).
    public convenience init?() {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
        let pidMatches = env("WATCHDOG_PID").map { Int32($0) == getpid() } ?? true
        self.init(socketPath: env("NOTIFY_SOCKET"),
                  watchdogMicroseconds: pidMatches ? env("WATCHDOG_USEC").flatMap { Int64($0) } : nil)
    }

    /// `socketPath` may be abstract (`@name`), as systemd's usually is.
    public init?(socketPath: String?, watchdogMicroseconds: Int64?) {
        guard let socketPath, !socketPath.isEmpty, socketPath.utf8.count < 108,
              socketPath.hasPrefix("/") || socketPath.hasPrefix("@") else { return nil }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.socketPath = socketPath
        watchdogInterval = watchdogMicroseconds.flatMap { $0 > 0 ? Interval(nanoseconds: $0 * 1000) : nil }
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(socketPath.utf8)
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (bytes[0] == 0 ? 0 : 1))
    }

    deinit { close(fd) }

    /// Sends `state` (e.g. "READY=1", "WATCHDOG=1", "STOPPING=1"); `false` if it failed.
    @discardableResult
    public func notify(_ state: String) -> Bool {
        let sent = state.utf8CString.withUnsafeBufferPointer { text in
            withUnsafePointer(to: &address) { a in
                a.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, text.baseAddress, text.count - 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), $0, addressLength)
                }
            }
        }
        if sent < 0 { sendFailures &+= 1 }
        return sent >= 0
    }
}

/// When a healthy tick should feed systemd's watchdog: at most every quarter of its
/// interval (sd_watchdog_enabled(3) asks for at least every half), and only from a
/// tick the runner judged healthy, so a loop that is alive but failing starves it.
public struct WatchdogFeed: Sendable {
    public static let feedsPerInterval: Int64 = 4
    public let spacing: Interval
    private var lastFed: Instant?

    public init(interval: Interval) {
        precondition(interval.nanoseconds > 0, "a watchdog interval is positive")
        spacing = Interval(nanoseconds: interval.nanoseconds / Self.feedsPerInterval)
    }

    /// A healthy tick at `now`: whether to send `WATCHDOG=1` now.
    public mutating func healthyTick(at now: Instant) -> Bool {
        if let last = lastFed, now - last < spacing { return false }
        lastFed = now
        return true
    }
}
