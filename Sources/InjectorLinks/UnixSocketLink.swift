#if canImport(Glibc)
import Glibc
#endif

/// A link over a Unix stream socket carrying the same frames as a serial line, for a
/// simulator and a firmware process on one machine without a pty.
public final class UnixSocketLink: FileDescriptorLink, @unchecked Sendable {
    /// Two connected ends (`socketpair(AF_UNIX, SOCK_STREAM)`), for in-process use.
    public static func pair() throws(LinkError) -> (UnixSocketLink, UnixSocketLink) {
        var fds: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0 else {
            throw LinkError.fromErrno(errno, call: "socketpair", device: "unix socket pair")
        }
        let first: UnixSocketLink
        do throws(LinkError) {
            first = try UnixSocketLink(fd: fds[0], name: "unix socket pair (a)")
        } catch {
            _ = Glibc.close(fds[1])
            throw error
        }
        return (first, try UnixSocketLink(fd: fds[1], name: "unix socket pair (b)"))
    }

    /// Connects to a listening socket at `path` (`socket`, `connect`).
    public static func connect(path: String) throws(LinkError) -> UnixSocketLink {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LinkError.fromErrno(errno, call: "socket", device: path) }
        var address = try socketAddress(path)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = LinkError.fromErrno(errno == ECONNREFUSED ? ENOENT : errno, call: "connect", device: path)
            _ = Glibc.close(fd)
            throw error
        }
        return try UnixSocketLink(fd: fd, name: path)
    }

    /// Listens at `path` (replacing a stale socket file) and accepts one peer within `timeout`.
    public static func acceptOne(path: String, timeoutMilliseconds: Int32) throws(LinkError) -> UnixSocketLink {
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard listener >= 0 else { throw LinkError.fromErrno(errno, call: "socket", device: path) }
        defer { _ = Glibc.close(listener) }
        try bindAndListen(listener, path: path, backlog: 1)
        var waiting = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat { ready = poll(&waiting, 1, timeoutMilliseconds) } while ready < 0 && errno == EINTR
        guard ready > 0 else {
            throw ready == 0 ? LinkError(.notFound, device: path, detail: "accept: no peer connected in time")
                : LinkError.fromErrno(errno, call: "poll", device: path)
        }
        let peer = accept(listener, nil, nil)
        guard peer >= 0 else { throw LinkError.fromErrno(errno, call: "accept", device: path) }
        return try UnixSocketLink(fd: peer, name: path)
    }

    /// Binds `fd` at `path` (replacing a stale socket file) and listens.
    static func bindAndListen(_ fd: Int32, path: String, backlog: Int32) throws(LinkError) {
        _ = unlink(path)
        var address = try socketAddress(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw LinkError.fromErrno(errno, call: "bind", device: path) }
        guard listen(fd, backlog) == 0 else { throw LinkError.fromErrno(errno, call: "listen", device: path) }
    }

    private static func socketAddress(_ path: String) throws(LinkError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            throw LinkError(.unsupported, device: path, detail: "socket path longer than \(capacity - 1) bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
            raw[bytes.count] = 0
        }
        return address
    }
}
