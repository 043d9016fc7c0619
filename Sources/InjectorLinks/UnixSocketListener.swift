#if canImport(Glibc)
import Glibc
#endif

/// A listening Unix stream socket that accepts any number of peers without waiting,
/// for a process that serves clients as they come (the link router's `--out unix:`).
public final class UnixSocketListener: @unchecked Sendable {
    public let path: String
    private var fd: Int32

    /// Listens at `path`, replacing a stale socket file.
    public init(path: String) throws(LinkError) {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw LinkError.fromErrno(errno, call: "socket", device: path) }
        do throws(LinkError) {
            try UnixSocketLink.bindAndListen(fd, path: path, backlog: 8)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
    }

    deinit {
        _ = Glibc.close(fd)
        _ = unlink(path)
    }

    /// A peer that has connected since the last call, or `nil` when none is waiting.
    public func acceptPending() throws(LinkError) -> UnixSocketLink? {
        while true {
            let peer = accept(fd, nil, nil)
            if peer >= 0 {
                // The peer's descriptor is made non-blocking by the link; close-on-exec here.
                _ = fcntl(peer, F_SETFD, FD_CLOEXEC)
                return try UnixSocketLink(fd: peer, name: path)
            }
            switch errno {
            case EINTR: continue
            case EAGAIN: return nil
            default: throw LinkError.fromErrno(errno, call: "accept", device: path)
            }
        }
    }
}
