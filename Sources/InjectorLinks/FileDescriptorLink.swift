#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// A link over a POSIX file descriptor (a pty, a tty, a socket), non-blocking, with
/// `ppoll` for timeouts. Every C call's result is checked; `EINTR` is retried.
public class FileDescriptorLink: ByteLink, @unchecked Sendable {
    public let name: String
    /// -1 once closed.
    private var fd: Int32

    /// Takes ownership of `fd` and makes it non-blocking (`fcntl(F_SETFL, O_NONBLOCK)`).
    init(fd: Int32, name: String) throws(LinkError) {
        self.fd = fd
        self.name = name
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            let error = LinkError.fromErrno(errno, call: "fcntl(O_NONBLOCK)", device: name)
            Glibc.close(fd)
            throw error
        }
    }

    deinit { close() }

    public var fileDescriptor: Int32 { fd }

    /// `poll` on one event, retried on `EINTR`; returns the `revents`, or 0 on timeout.
    /// The timeout is rounded up to whole milliseconds (poll's resolution).
    func wait(for events: Int16, timeout: Interval) throws(LinkError) -> Int16 {
        guard fd >= 0 else { throw LinkError(.closed, device: name, detail: "closed") }
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        let ns = max(0, timeout.nanoseconds)
        let milliseconds = Int32(clamping: (ns + 999_999) / 1_000_000)
        while true {
            let ready = poll(&descriptor, 1, milliseconds)
            if ready >= 0 { return ready == 0 ? 0 : descriptor.revents }
            if errno != EINTR { throw LinkError.fromErrno(errno, call: "poll", device: name) }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Interval) throws(LinkError) -> Int {
        let revents = try wait(for: Int16(POLLIN), timeout: timeout)
        if revents == 0 { return 0 }
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return n }
            if n == 0 { throw LinkError(.disconnected, device: name, detail: "read: end of file") }
            switch errno {
            case EINTR: continue
            case EAGAIN: return 0
            default: throw LinkError.fromErrno(errno, call: "read", device: name)
            }
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer, timeout: Interval) throws(LinkError) {
        guard fd >= 0 else { throw LinkError(.closed, device: name, detail: "closed") }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n >= 0 {
                offset += n
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                // The peer is not draining; wait for room, but only so long.
                if try wait(for: Int16(POLLOUT), timeout: timeout) == 0 {
                    throw LinkError(.writeTimedOut, device: name,
                                    detail: "write: \(bytes.count - offset) of \(bytes.count) bytes not taken")
                }
            default:
                throw LinkError.fromErrno(errno, call: "write", device: name)
            }
        }
    }

    public func close() {
        guard fd >= 0 else { return }
        // close(2) is not retried on EINTR on Linux: the descriptor is released anyway.
        _ = Glibc.close(fd)
        fd = -1
    }
}
