#if canImport(Glibc)
import Glibc
#endif

/// Why a link failed, with what to do about it.
public struct LinkError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// No such device.
        case notFound
        /// Another process has the device open.
        case busy
        /// The user may not open the device.
        case permissionDenied
        /// A setting the device or the link does not support (baud rate, a pty given to libserialport).
        case unsupported
        /// The other end went away (pty closed, USB adapter unplugged, socket closed).
        case disconnected
        /// The peer did not take the bytes within the write timeout.
        case writeTimedOut
        /// This link was closed by its owner.
        case closed
        /// Any other operating-system failure.
        case system
    }

    public var kind: Kind
    /// The device or path.
    public var device: String
    /// The failing C call and the system's message, for the log.
    public var detail: String

    public init(_ kind: Kind, device: String, detail: String) {
        self.kind = kind
        self.device = device
        self.detail = detail
    }

    /// An error from a failed C call, classified by `errno`.
    static func fromErrno(_ code: Int32, call: String, device: String) -> LinkError {
        let message = String(cString: strerror(code))
        let kind: Kind = switch code {
        case ENOENT, ENODEV, ENXIO: .notFound
        case EBUSY, EWOULDBLOCK: .busy
        case EACCES, EPERM: .permissionDenied
        case EIO, EPIPE, ECONNRESET: .disconnected
        case EINVAL, ENOTTY, EOPNOTSUPP: .unsupported
        default: .system
        }
        return LinkError(kind, device: device, detail: "\(call): \(message) (errno \(code))")
    }

    public var description: String {
        switch kind {
        case .notFound:
            "\(device) not found (\(detail)). Check the cable and the name; `injector-log ports` lists the serial ports present."
        case .busy:
            "\(device) is busy (\(detail)): another program has it open. Close it (a terminal, ModemManager, another injector tool) and retry."
        case .permissionDenied:
            "permission denied on \(device) (\(detail)). Add your user to the `dialout` group (`sudo usermod -aG dialout $USER`), then log out and in again."
        case .unsupported:
            "\(device) does not support this (\(detail)). Baud rates 115200–3000000 are supported; a pseudo-terminal needs PseudoTerminalLink, not SerialPortLink."
        case .disconnected:
            "\(device) disconnected (\(detail)): the other end closed or the adapter was unplugged."
        case .writeTimedOut:
            "\(device) did not take the data in time (\(detail)): the other end is not reading."
        case .closed:
            "\(device) is closed."
        case .system:
            "\(device): \(detail)"
        }
    }
}
