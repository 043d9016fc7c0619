#if canImport(Glibc)
import Glibc
#endif

/// Opens a link from a command-line spec:
/// - `pty`: a new pseudo-terminal; its device path is in `PseudoTerminalLink.devicePath`
///   for the other process to open;
/// - `unix:/path`: connects to a Unix socket;
/// - a path under `/dev/pts/` (or any terminal libserialport refuses, such as a
///   `socat` link): termios, raw mode;
/// - anything else: a real serial port through libserialport at `baudRate`.
public func openLink(_ spec: String, baudRate: Int) throws(LinkError) -> any ByteLink {
    if spec == "pty" { return try PseudoTerminalLink.create() }
    if spec.hasPrefix("unix:") { return try UnixSocketLink.connect(path: String(spec.dropFirst(5))) }
    var resolved = spec
    if let real = realpath(spec, nil) {
        resolved = String(cString: real)
        free(real)
    }
    if resolved.hasPrefix("/dev/pts/") { return try PseudoTerminalLink.open(path: spec) }
    do throws(LinkError) {
        return try SerialPortLink(name: spec, baudRate: baudRate)
    } catch where error.kind == .unsupported && !error.detail.hasPrefix("baud") {
        return try PseudoTerminalLink.open(path: spec)
    }
}
