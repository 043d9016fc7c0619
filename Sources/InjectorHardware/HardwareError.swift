#if canImport(Glibc)
import Glibc
#endif

/// Why a hardware operation failed, and what to do about it.
///
/// `kind` is small and matchable (embedded-hal's `ErrorKind`); `detail` keeps the
/// failing C call and the system's message; `advice` tells the operator the next step.
public struct HardwareError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// No such chip, line, device or file.
        case notFound
        /// The user may not open the device.
        case permissionDenied
        /// Another consumer holds the line.
        case busy
        /// The library or the device cannot do this (libgpiod v2 build, bad offset).
        case unsupported
        /// A read or write failed, or returned something unreadable.
        case io
        /// The board file is wrong.
        case configuration
    }

    public var kind: Kind
    /// The chip, line or file.
    public var device: String
    /// The failing call and the system's message.
    public var detail: String
    /// What to do next.
    public var advice: String

    public init(_ kind: Kind, device: String, detail: String, advice: String = "") {
        self.kind = kind
        self.device = device
        self.detail = detail
        self.advice = advice
    }

    /// An error from a failed C call, classified by `errno`.
    public static func fromErrno(_ code: Int32, call: String, device: String, advice: String = "") -> HardwareError {
        let kind: Kind = switch code {
        case ENOENT, ENODEV, ENXIO: .notFound
        case EACCES, EPERM: .permissionDenied
        case EBUSY: .busy
        case ENOTSUP, EOPNOTSUPP, EINVAL, ENOSYS: .unsupported
        default: .io
        }
        return HardwareError(kind, device: device, detail: "\(call): \(systemMessage(code)) (errno \(code))",
                             advice: advice)
    }

    public var description: String {
        var text = "\(device): \(detail)"
        if !advice.isEmpty { text += ". " + advice }
        return text
    }
}

/// `strerror` as a Swift string.
func systemMessage(_ code: Int32) -> String { String(cString: strerror(code)) }
