#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import InjectorLinks
import InjectorLogger
import InjectorRouter
import InjectorToolSupport
import Synchronization

/// Set by SIGINT/SIGTERM; the routing loop checks it every millisecond.
let stopRequested = Atomic<Bool>(false)

@main
struct InjectorRouterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "injector-router",
        abstract: "Own the injector's link and serve several clients (console, logger, simulator host).",
        discussion: """
            Opens --device and creates one pty per --out pty, printing `client-link /dev/pts/N` for each. \
            Every byte from the device goes to every client; every whole, valid frame from a client goes \
            to the device. With --capture both directions are recorded into one capture file. \
            SIGINT or SIGTERM stops it. See docs/logger.md, "Link router".
            """,
        version: ToolVersion.text)

    @Option(help: "The injector's link: a serial port, a /dev/pts/N path, unix:/path, or 'pty' to create one for the firmware's --host-link (printed as `device-link /dev/pts/N`).")
    var device: String
    @Option(help: "A client link to create: 'pty', or unix:/path to listen for any number of peers (repeat for more).")
    var out: [String] = []
    @Option(help: "Baud rate for a real serial port.") var baud = 115_200
    @Option(help: "Record both directions into this capture file (appended to if it exists).") var capture: String?
    @Option(help: "Stop after this many seconds.") var seconds: Double?

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out: give at least one client ('pty')") }
        for spec in out where spec != "pty" && !(spec.hasPrefix("unix:") && spec.count > 5) {
            throw ValidationError("--out: '\(spec)' is not one of: pty, unix:/path")
        }
        if let seconds, !(seconds > 0) { throw ValidationError("--seconds: must be positive, got \(seconds)") }
    }

    func run() throws {
        var clients: [any ByteLink] = []
        var listeners: [UnixSocketListener] = []
        for spec in out {
            if spec.hasPrefix("unix:") {
                let listener = try UnixSocketListener(path: String(spec.dropFirst(5)))
                print("client-link unix:\(listener.path)")
                listeners.append(listener)
            } else {
                let pty = try PseudoTerminalLink.create()
                print("client-link \(pty.devicePath)")
                clients.append(pty)
            }
        }
        let open = try deviceOpener()
        fflush(nil)
        let writer = try capture.map { path throws(CaptureError) in
            try CaptureWriter(path: path, device: device, baudRate: 0)
        }
        let router = LinkRouter(open: open,
                                clients: clients, listeners: listeners, capture: writer,
                                report: { line in printError("injector-router: \(line)") })
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
        let deadline = seconds.map { monotonicSeconds() + $0 }
        try router.run { stopRequested.load(ordering: .relaxed) || deadline.map { monotonicSeconds() >= $0 } ?? false }
        let k = router.counters
        printError("injector-router: stopped: \(k.bytesFromDevice) bytes from the device, frames to it per client \(k.framesToDevice), bytes not taken per client \(k.bytesNotTaken), \(writer?.bytesWritten ?? 0) bytes in the capture")
    }
}

extension InjectorRouterCommand {
    /// Opens --device (again after it failed); 'pty' creates one pty now, printed for the
    /// firmware, and keeps it: the router holds its device side, so a firmware that
    /// restarts and opens it again finds the same path.
    func deviceOpener() throws -> () throws(LinkError) -> any ByteLink {
        guard device == "pty" else {
            let spec = device, baud = self.baud
            return { () throws(LinkError) in try openLink(spec, baudRate: baud) }
        }
        let pty = try PseudoTerminalLink.create()
        print("device-link \(pty.devicePath)")
        return { () throws(LinkError) in pty }
    }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// One line on stderr (write(2): the C `stderr` global is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    var bytes = Array((text + "\n").utf8)
    _ = Glibc.write(2, &bytes, bytes.count)
}
