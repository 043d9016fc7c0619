#if canImport(Glibc)
import Glibc
#endif
import CSerialPort
import InjectorCore

/// A real serial port (USB-UART, the board's UART) through libserialport, 8N1 with
/// no flow control. libserialport refuses pseudo-terminals: use `PseudoTerminalLink`.
public final class SerialPortLink: ByteLink, @unchecked Sendable {
    public static let supportedBaudRates: ClosedRange<Int> = 115_200...3_000_000

    public let name: String
    public let baudRate: Int
    private var port: OpaquePointer?

    /// Opens `name` (`/dev/ttyUSB0`, `/dev/ttyAMA0`) at `baudRate`, 8 data bits, no
    /// parity, 1 stop bit, no flow control, and locks it (`flock`) against a second user.
    public init(name: String, baudRate: Int = 115_200) throws(LinkError) {
        guard Self.supportedBaudRates.contains(baudRate) else {
            throw LinkError(.unsupported, device: name, detail: "baud rate \(baudRate)")
        }
        self.name = name
        self.baudRate = baudRate
        // Look first, so that "no such device" is not reported as a libserialport quirk.
        var status = stat()
        if stat(name, &status) != 0 { throw LinkError.fromErrno(errno, call: "stat", device: name) }

        var handle: OpaquePointer?
        let found = sp_get_port_by_name(name, &handle)
        guard found == SP_OK, let handle else {
            // libserialport finds ports through sysfs; a pty or other non-port device fails here.
            throw found == SP_ERR_FAIL && sp_last_error_code() != ENOENT
                ? Self.error(found, call: "sp_get_port_by_name", device: name)
                : LinkError(.unsupported, device: name,
                            detail: "sp_get_port_by_name: not a serial port libserialport knows (a pty?)")
        }
        port = handle
        do throws(LinkError) {
            try Self.check(sp_open(handle, SP_MODE_READ_WRITE), call: "sp_open", device: name)
            try lockExclusively(handle)
            try Self.check(sp_set_baudrate(handle, Int32(baudRate)), call: "sp_set_baudrate", device: name)
            try Self.check(sp_set_bits(handle, 8), call: "sp_set_bits", device: name)
            try Self.check(sp_set_parity(handle, SP_PARITY_NONE), call: "sp_set_parity", device: name)
            try Self.check(sp_set_stopbits(handle, 1), call: "sp_set_stopbits", device: name)
            try Self.check(sp_set_flowcontrol(handle, SP_FLOWCONTROL_NONE), call: "sp_set_flowcontrol", device: name)
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Linux lets two processes open one tty; an advisory `flock` on the descriptor
    /// (`sp_get_port_handle`) makes a second injector tool fail with "busy" instead
    /// of both reading half the bytes.
    private func lockExclusively(_ handle: OpaquePointer) throws(LinkError) {
        var fd: Int32 = -1
        try Self.check(sp_get_port_handle(handle, &fd), call: "sp_get_port_handle", device: name)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw LinkError.fromErrno(errno == EWOULDBLOCK ? EBUSY : errno, call: "flock", device: name)
        }
    }

    /// `sp_blocking_read_next` (returns as soon as any byte arrives), or
    /// `sp_nonblocking_read` for a zero timeout (libserialport reads 0 as "forever").
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Interval) throws(LinkError) -> Int {
        guard let port else { throw LinkError(.closed, device: name, detail: "closed") }
        let milliseconds = UInt32(clamping: (max(0, timeout.nanoseconds) + 999_999) / 1_000_000)
        let result = milliseconds == 0
            ? sp_nonblocking_read(port, buffer.baseAddress, buffer.count)
            : sp_blocking_read_next(port, buffer.baseAddress, buffer.count, milliseconds)
        guard result.rawValue >= 0 else { throw Self.error(result, call: "sp_blocking_read_next", device: name) }
        return Int(result.rawValue)
    }

    /// `sp_blocking_write` with the timeout; a short count means the port stalled.
    public func write(_ bytes: UnsafeRawBufferPointer, timeout: Interval) throws(LinkError) {
        guard let port else { throw LinkError(.closed, device: name, detail: "closed") }
        let milliseconds = UInt32(clamping: max(1, timeout.nanoseconds / 1_000_000))
        let result = sp_blocking_write(port, bytes.baseAddress, bytes.count, milliseconds)
        guard result.rawValue >= 0 else { throw Self.error(result, call: "sp_blocking_write", device: name) }
        guard Int(result.rawValue) == bytes.count else {
            throw LinkError(.writeTimedOut, device: name,
                            detail: "sp_blocking_write: \(result.rawValue) of \(bytes.count) bytes in \(milliseconds) ms")
        }
    }

    /// `sp_close` and `sp_free_port`; safe to call twice.
    public func close() {
        guard let port else { return }
        _ = sp_close(port)
        sp_free_port(port)
        self.port = nil
    }

    static func check(_ result: sp_return, call: String, device: String) throws(LinkError) {
        guard result == SP_OK else { throw error(result, call: call, device: device) }
    }

    /// A libserialport failure: `SP_ERR_FAIL` carries the OS error (`sp_last_error_code`).
    static func error(_ result: sp_return, call: String, device: String) -> LinkError {
        switch result {
        case SP_ERR_FAIL: LinkError.fromErrno(sp_last_error_code(), call: call, device: device)
        case SP_ERR_ARG: LinkError(.unsupported, device: device, detail: "\(call): invalid argument")
        case SP_ERR_SUPP: LinkError(.unsupported, device: device, detail: "\(call): not supported")
        case SP_ERR_MEM: LinkError(.system, device: device, detail: "\(call): out of memory")
        default: LinkError(.system, device: device, detail: "\(call): result \(result.rawValue)")
        }
    }
}
