#if canImport(Glibc)
import Glibc
#endif
import InjectorCore

/// A link over a pseudo-terminal (POSIX termios), for running the firmware against a
/// simulator on one machine. libserialport refuses ptys, hence this separate link.
///
/// `openpty` makes a pair in-process: the controller side (master) and the device
/// side (`/dev/pts/N`), whose path another process can open with `open(path:)`.
public final class PseudoTerminalLink: FileDescriptorLink, @unchecked Sendable {
    /// Room for a pty's path from ttyname_r ("/dev/pts/N" is about 12 bytes; 128 leaves room
    /// for a container's longer devpts mount).
    static let deviceNameCapacity = 128
    /// The device side's path (`ttyname` of the slave), for the other process.
    public let devicePath: String
    /// The device side held open by a controller link so that the controller does
    /// not see a hang-up before the peer has opened the device; -1 if none.
    private var heldDevice: Int32 = -1

    private init(fd: Int32, name: String, devicePath: String) throws(LinkError) {
        self.devicePath = devicePath
        try super.init(fd: fd, name: name)
    }

    deinit {
        if heldDevice >= 0 { _ = Glibc.close(heldDevice) }
    }

    /// Both ends of a new pty, in raw mode: `(controller, device)`. For tests and
    /// for a simulator that runs the firmware in the same process.
    public static func openPair() throws(LinkError) -> (controller: PseudoTerminalLink, device: PseudoTerminalLink) {
        let (master, slave, path) = try makePseudoTerminal()
        // Each init closes its own descriptor if it fails; the other is closed here.
        let controller: PseudoTerminalLink
        do throws(LinkError) {
            controller = try PseudoTerminalLink(fd: master, name: "pty controller for \(path)", devicePath: path)
        } catch {
            _ = Glibc.close(slave)
            throw error
        }
        let device = try PseudoTerminalLink(fd: slave, name: path, devicePath: path)
        return (controller, device)
    }

    /// The controller side of a new pty whose device path another process opens.
    /// The device side stays open here too, so reads see no hang-up before it does.
    public static func create() throws(LinkError) -> PseudoTerminalLink {
        let (master, slave, path) = try makePseudoTerminal()
        do throws(LinkError) {
            let link = try PseudoTerminalLink(fd: master, name: "pty controller for \(path)", devicePath: path)
            link.heldDevice = slave
            return link
        } catch {
            _ = Glibc.close(slave)
            throw error
        }
    }

    /// Opens an existing terminal device by path (a pty's device side, a `socat`
    /// link, a real tty) in raw mode: `open(O_RDWR | O_NOCTTY)`, `cfmakeraw`.
    public static func open(path: String) throws(LinkError) -> PseudoTerminalLink {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw LinkError.fromErrno(errno, call: "open", device: path) }
        do throws(LinkError) {
            try makeRaw(fd, device: path)
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        return try PseudoTerminalLink(fd: fd, name: path, devicePath: path)
    }

    /// `openpty`, then raw mode on both sides and the slave's name from `ttyname_r`.
    private static func makePseudoTerminal() throws(LinkError) -> (Int32, Int32, String) {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else {
            throw LinkError.fromErrno(errno, call: "openpty", device: "pty")
        }
        do throws(LinkError) {
            try makeRaw(master, device: "pty controller")
            try makeRaw(slave, device: "pty device")
            var name = [CChar](repeating: 0, count: Self.deviceNameCapacity)
            let result = ttyname_r(slave, &name, name.count)
            guard result == 0 else { throw LinkError.fromErrno(result, call: "ttyname_r", device: "pty device") }
            let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return (master, slave, path)
        } catch {
            _ = Glibc.close(master)
            _ = Glibc.close(slave)
            throw error
        }
    }

    /// Raw mode (`tcgetattr`, `cfmakeraw`, `tcsetattr(TCSANOW)`): no echo, no line
    /// editing, no CR/LF translation, no XON/XOFF — every byte value passes unchanged,
    /// which a binary protocol needs.
    static func makeRaw(_ fd: Int32, device: String) throws(LinkError) {
        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { throw LinkError.fromErrno(errno, call: "tcgetattr", device: device) }
        cfmakeraw(&settings)
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else {
            throw LinkError.fromErrno(errno, call: "tcsetattr", device: device)
        }
    }
}
